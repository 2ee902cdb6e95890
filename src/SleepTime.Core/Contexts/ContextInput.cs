namespace SleepTime;

/// <summary>Content to add to a context: a piece of a document (no role) or a conversation turn (with a role).</summary>
public sealed record ContextInput(string Text, string? Role = null)
{
    public static ContextInput Document(string text) => new(text);

    public static ContextInput Turn(string role, string text) => new(text, role);
}
