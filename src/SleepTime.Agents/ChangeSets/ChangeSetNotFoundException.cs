namespace SleepTime.Agents;

public sealed class ChangeSetNotFoundException(string changeSetId) : SleepTimeException($"Change set '{changeSetId}' was not found.")
{
    public string ChangeSetId { get; } = changeSetId;
}
