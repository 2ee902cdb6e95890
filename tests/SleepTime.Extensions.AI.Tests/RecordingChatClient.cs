using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SleepTime.Extensions.AI.Tests;

/// <summary>Sits below the client under test and keeps every streaming update the model produced, in order.</summary>
internal sealed class RecordingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public List<ChatResponseUpdate> Updates { get; } = [];

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            Updates.Add(update);
            yield return update;
        }
    }
}
