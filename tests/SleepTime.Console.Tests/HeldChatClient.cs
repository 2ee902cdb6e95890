using Microsoft.Extensions.AI;

namespace SleepTime.Console.Tests;

/// <summary>
/// Wraps the scripted sleep model so a test can keep a context's sleep waiting (the run stays <c>running</c>, a second
/// trigger stays <c>queued</c>) until it releases it; agents' sleeps are never held.
/// </summary>
public sealed class HeldChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    private volatile TaskCompletionSource gate = Open();

    /// <summary>Completes when a held call has arrived.</summary>
    public TaskCompletionSource Arrived { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Hold()
    {
        Arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release() => gate.TrySetResult();

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!ConsoleServer.IsAgentSleep(options))
        {
            var waiting = gate;
            Arrived.TrySetResult();
            await waiting.Task.WaitAsync(cancellationToken);
        }

        return await base.GetResponseAsync(messages, options, cancellationToken);
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
