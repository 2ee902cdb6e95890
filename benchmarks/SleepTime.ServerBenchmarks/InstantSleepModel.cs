using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.ServerBenchmarks;

/// <summary>
/// A sleep model that answers at once, recording nothing: a context's sleep with the paper's two tool calls, a
/// sleep-time agent's with one line inserted and its finish.
/// </summary>
public sealed class InstantSleepModel : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(options?.Tools?.Any(t => t.Name == "memory_insert") == true
            ? ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Moved to Bergen." }), ("memory_finish_edits", null))
            : ScriptedReply.RethinkAndFinish("Learned: the context, summarised ahead of time."));

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The sleep phase does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
