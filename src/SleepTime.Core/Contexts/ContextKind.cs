namespace SleepTime;

/// <summary>What a context holds: a document that grows by appended text, or a conversation that grows by turns.</summary>
public enum ContextKind
{
    Document,
    Conversation,
}
