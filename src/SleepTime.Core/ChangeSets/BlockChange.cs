namespace SleepTime;

/// <summary>
/// One block's part of a change set: the value the run read (<see cref="Before"/> at <see cref="BaseVersion"/>),
/// the value it proposed (<see cref="After"/>), the edits that produced it, and, once decided, what was written.
/// </summary>
/// <param name="Diff">Unified diff of <see cref="Before"/> to <see cref="After"/>; after a rebase, of what was replaced to what was written.</param>
/// <param name="ReplacedValue">The value the commit overwrote (differs from <see cref="Before"/> after a rebase); a revert restores it.</param>
/// <param name="AppliedVersion">The block version the commit created; a revert only applies while the block is still there.</param>
/// <param name="ConflictVersion">The newer block version the change could not be applied to.</param>
public sealed record BlockChange(
    string BlockId,
    string Label,
    long BaseVersion,
    string Before,
    string After,
    string Diff,
    IReadOnlyList<MemoryEdit> Edits,
    BlockChangeState State = BlockChangeState.Proposed,
    string? Reason = null,
    long? AppliedVersion = null,
    string? ReplacedValue = null,
    string? AppliedValue = null,
    long? ConflictVersion = null,
    string? ConflictValue = null);
