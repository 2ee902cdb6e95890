using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.Benchmarks;

/// <summary>
/// A sleep-time agent model that answers at once: rewrite the block, then finish. <paramref name="hold"/>, when
/// given, keeps every first call waiting on it, so a run stays in flight for as long as a benchmark needs.
/// </summary>
internal sealed class AgentBenchSleepModel(Task? hold = null) : IChatClient
{
    private long runs;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (messages.Any(m => m.Contents.OfType<FunctionResultContent>().Any()))
        {
            return ScriptedReply.ToolCalls(("memory_finish_edits", null));
        }

        if (hold is not null)
        {
            await hold.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var n = Interlocked.Increment(ref runs);
        return ScriptedReply.ToolCalls(("memory_rethink", new { label = "human", new_value = $"Name: Ada\nRun {n % 2}" }), ("memory_finish_edits", null));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
