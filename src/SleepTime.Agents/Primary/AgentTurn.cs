namespace SleepTime.Agents;

/// <summary>
/// One completed turn. <see cref="BlockVersions"/> records the version of every block the system prompt showed,
/// so each answer can be explained by the memory it used.
/// </summary>
public sealed record AgentTurn(
    string AgentId,
    AgentMessage UserMessage,
    AgentMessage AssistantMessage,
    IReadOnlyDictionary<string, long> BlockVersions,
    TokenUsage Usage,
    string? Model,
    string PromptVersion);
