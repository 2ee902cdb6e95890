using Microsoft.Extensions.AI;

namespace SleepTime.Bench.Models;

/// <summary>Sets a sampling seed on every call that has none, so repeated samples of one question differ reproducibly.</summary>
public sealed class SeededChatClient(IChatClient inner, long seed) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = options?.Clone() ?? new ChatOptions();
        options.Seed ??= seed;
        return base.GetResponseAsync(messages, options, cancellationToken);
    }
}
