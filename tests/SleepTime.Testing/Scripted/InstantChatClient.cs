using Microsoft.Extensions.AI;

namespace SleepTime.Testing;

/// <summary>
/// A model that answers at once with a fixed reply and usage, allocating as little as possible: for measuring
/// the engine's own overhead in benchmarks.
/// </summary>
public sealed class InstantChatClient(string reply = "The answer is 42.", bool reportUsage = true) : IChatClient
{
    private readonly ChatResponse response = new(new ChatMessage(ChatRole.Assistant, reply))
    {
        ModelId = "instant",
        Usage = reportUsage ? new UsageDetails { InputTokenCount = 1200, OutputTokenCount = 8, TotalTokenCount = 1208 } : null,
    };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(response);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        response.ToChatResponseUpdates().ToAsyncEnumerable();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
