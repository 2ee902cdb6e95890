namespace SleepTime;

/// <summary>A primary agent: it chats, and its attached blocks render into its system prompt on every turn.</summary>
public sealed record Agent(string Id, string Name, string Instructions, IReadOnlyList<string> BlockIds, DateTimeOffset CreatedAt);
