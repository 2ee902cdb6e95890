namespace SleepTime.Agents;

/// <summary>The primary agent's prompts, embedded in this assembly as <c>Prompts/Templates/{id}.v{n}.md</c>.</summary>
public static class AgentPrompts
{
    public const string PrimaryAgent = "primary-agent";

    public static PromptLibrary Library { get; } = PromptLibrary.LoadEmbedded(typeof(AgentPrompts).Assembly);
}
