using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// One step of a streamed answer: a model chunk as it arrived, or, last and only once the model has finished, the
/// completed reply with its measured usage.
/// </summary>
public sealed record AnswerUpdate
{
    private AnswerUpdate(ChatResponseUpdate? chunk, ChatReply? completed)
    {
        Chunk = chunk;
        Completed = completed;
    }

    /// <summary>The model's chunk, unchanged; null on the final update.</summary>
    public ChatResponseUpdate? Chunk { get; }

    /// <summary>The completed reply; set on the final update only.</summary>
    public ChatReply? Completed { get; }

    public static AnswerUpdate Of(ChatResponseUpdate chunk) => new(chunk ?? throw new ArgumentNullException(nameof(chunk)), null);

    public static AnswerUpdate Done(ChatReply reply) => new(null, reply ?? throw new ArgumentNullException(nameof(reply)));
}
