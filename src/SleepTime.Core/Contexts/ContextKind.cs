namespace SleepTime;

/// <summary>
/// What a context holds: a document that grows by appended text, a conversation that grows by turns, or a codebase
/// (a repository at a commit, read-only, plus related documents) that grows by new commits and documents.
/// </summary>
public enum ContextKind
{
    Document,
    Conversation,
    Codebase,
}
