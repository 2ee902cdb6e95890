using System.Collections.Concurrent;

namespace SleepTime.Server;

/// <summary>The cancellation sources of the runs this node is working on, so a cancel request stops the model call.</summary>
public sealed class RunCancellations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> running = new(StringComparer.Ordinal);

    public CancellationTokenSource Register(string runId, CancellationToken linked)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(linked);
        running[runId] = source;
        return source;
    }

    public void Unregister(string runId)
    {
        if (running.TryRemove(runId, out var source))
        {
            source.Dispose();
        }
    }

    public bool TryCancel(string runId)
    {
        if (running.TryGetValue(runId, out var source))
        {
            try
            {
                source.Cancel();
                return true;
            }
            catch (ObjectDisposedException)
            {
            }
        }

        return false;
    }
}
