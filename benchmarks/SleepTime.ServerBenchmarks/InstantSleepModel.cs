using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.ServerBenchmarks;

/// <summary>A sleep model that answers at once with the paper's two tool calls, recording nothing.</summary>
public sealed class InstantSleepModel : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(ScriptedReply.RethinkAndFinish("Learned: the context, summarised ahead of time."));

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The sleep phase does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
