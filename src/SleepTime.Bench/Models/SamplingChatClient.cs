using Microsoft.Extensions.AI;

namespace SleepTime.Bench.Models;

/// <summary>
/// Sets the phase's sampling temperature and seed on every call that does not set its own, so the engine's phases
/// (which send neither) run under the experiment's sampling settings.
/// </summary>
public sealed class SamplingChatClient(IChatClient inner, double? temperature, long? seed) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Apply(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, Apply(options), cancellationToken);

    private ChatOptions Apply(ChatOptions? options)
    {
        var applied = options?.Clone() ?? new ChatOptions();
        applied.Temperature ??= (float?)temperature;
        applied.Seed ??= seed;
        return applied;
    }
}
