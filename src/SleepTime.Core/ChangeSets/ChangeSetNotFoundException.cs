namespace SleepTime;

public sealed class ChangeSetNotFoundException(string changeSetId) : SleepTimeNotFoundException($"Change set '{changeSetId}' was not found.")
{
    public string ChangeSetId { get; } = changeSetId;
}
