namespace SleepTime;

public sealed class AgentNotFoundException(string agentId) : SleepTimeNotFoundException($"Agent '{agentId}' was not found.")
{
    public string AgentId { get; } = agentId;
}
