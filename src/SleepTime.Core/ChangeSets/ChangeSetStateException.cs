namespace SleepTime;

/// <summary>The operation does not fit the change set's status (e.g. approving one that was already committed).</summary>
public sealed class ChangeSetStateException(string changeSetId, ChangeSetStatus status, string message) : SleepTimeConflictException(message)
{
    public string ChangeSetId { get; } = changeSetId;

    public ChangeSetStatus Status { get; } = status;
}
