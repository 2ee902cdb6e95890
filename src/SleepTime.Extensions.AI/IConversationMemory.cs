namespace SleepTime.Extensions.AI;

/// <summary>
/// What <see cref="SleepTimeChatClient"/> and the Agent Framework provider need of a sleep-time memory: the committed
/// learned context of a conversation (a read, never a model call or a wait for a sleep) and a way to record its turns.
/// <see cref="SleepTimeMemory"/> is the in-process one; <see cref="Remote.RemoteConversationMemory"/> is a running
/// SleepTime server's.
/// </summary>
public interface IConversationMemory
{
    /// <summary>The conversation's committed learned context, rendered, or null before its first sleep.</summary>
    ValueTask<LearnedText?> GetLearnedTextAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>Records turns of the conversation (creating it on its first turn); whoever owns the memory decides when it sleeps.</summary>
    Task AppendTurnsAsync(string conversationId, IReadOnlyList<ContextInput> turns, CancellationToken cancellationToken = default);
}

/// <summary>A committed learned context as a prompt carries it: its version and its rendered text.</summary>
public sealed record LearnedText(long Version, string Text);
