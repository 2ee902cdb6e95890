namespace SleepTime.Agents;

/// <summary>The prompts of the agents layer, embedded in this assembly as <c>Prompts/Templates/{id}.v{n}.md</c>.</summary>
public static class AgentPrompts
{
    public const string SleepTimeAgent = "sleep-time-agent";
    public const string SleepTimeAgentInput = "sleep-time-agent-input";
    public const string SleepTimeAgentNudge = "sleep-time-agent-nudge";
    public const string PrimaryAgent = "primary-agent";

    public static PromptLibrary Library { get; } = PromptLibrary.LoadEmbedded(typeof(AgentPrompts).Assembly);
}
