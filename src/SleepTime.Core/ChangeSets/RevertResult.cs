namespace SleepTime;

/// <summary>The change set after a revert, and the block changes that could not be undone because the block moved on.</summary>
public sealed record RevertResult(ChangeSet ChangeSet, IReadOnlyList<BlockChange> Conflicts)
{
    public bool Reverted => Conflicts.Count == 0;
}
