namespace SleepTime.Agents;

public sealed class AgentNotFoundException(string agentId) : SleepTimeException($"Agent '{agentId}' was not found.")
{
    public string AgentId { get; } = agentId;
}
