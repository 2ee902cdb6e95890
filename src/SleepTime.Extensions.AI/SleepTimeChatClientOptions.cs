using Microsoft.Extensions.AI;

namespace SleepTime.Extensions.AI;

/// <summary>How a <see cref="SleepTimeChatClient"/> maps calls to conversations and writes the learned context.</summary>
public sealed record SleepTimeChatClientOptions
{
    /// <summary>The conversation a call belongs to when <see cref="ConversationIdSelector"/> gives none and the call's <see cref="ChatOptions.ConversationId"/> is unset.</summary>
    public string ConversationId { get; init; } = "default";

    /// <summary>Picks the conversation of a call (e.g. from the user or tenant); null falls back to <see cref="ChatOptions.ConversationId"/>, then <see cref="ConversationId"/>.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, string?>? ConversationIdSelector { get; init; }

    /// <summary>The text of the system message that carries the learned context; <c>{learned_context}</c> is replaced by it.</summary>
    public string Template { get; init; } =
        "What you already worked out about this conversation, while idle (trust it; it may anticipate the question):\n<learned_context>\n{learned_context}\n</learned_context>";
}
