namespace SleepTime;

/// <summary>
/// Applies, approves, rejects and reverts change sets, each as one unit of memory writes: every block of the set,
/// and the change set itself, land together or not at all. A change written against an old version of a block is
/// rebased onto the newer value when its edits still apply, and otherwise recorded as a conflict. A change that
/// would remove or alter a confirmed line is held for review. Nothing is last-writer-wins.
/// </summary>
public sealed class ChangeSetCommitter(IMemoryStore memory, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    /// <summary>Commits a fresh change set's proposed blocks and stores the outcome.</summary>
    public Task<ChangeSet> CommitAsync(ChangeSet changeSet, string author, CancellationToken cancellationToken = default) =>
        memory.WriteAsync((writer, ct) => CommitAsync(writer, changeSet, author, ct), cancellationToken);

    /// <summary>Commits a fresh change set inside a unit of writes that does more (a run's commit).</summary>
    public static async Task<ChangeSet> CommitAsync(IMemoryWriter writer, ChangeSet changeSet, string author, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(changeSet);
        var decided = new List<BlockChange>(changeSet.Blocks.Count);
        foreach (var change in changeSet.Blocks)
        {
            decided.Add(change.State == BlockChangeState.Proposed
                ? await ApplyAsync(writer, change, author, allowConfirmedChanges: false, overwrite: false, cancellationToken).ConfigureAwait(false)
                : change);
        }

        var committed = changeSet with { Blocks = decided, Status = StatusOf(decided) };
        await writer.SaveChangeSetAsync(committed, cancellationToken).ConfigureAwait(false);
        return committed;
    }

    /// <summary>
    /// A reviewer approves the blocks waiting in a change set (all of them, or only <paramref name="blockId"/>).
    /// Approval lets a change touch confirmed lines. A block that moved on is still rebased; where that fails it stays
    /// a conflict unless <paramref name="overwriteConflicts"/> says the reviewer wants the proposed value over the newer one.
    /// </summary>
    public Task<ChangeSet> ApproveAsync(string changeSetId, string reviewer, string? blockId = null, bool overwriteConflicts = false, CancellationToken cancellationToken = default) =>
        DecideAsync(changeSetId, reviewer, blockId, (writer, change, ct) => ApplyAsync(writer, change, reviewer, allowConfirmedChanges: true, overwriteConflicts, ct), cancellationToken);

    /// <summary>A reviewer rejects the blocks waiting in a change set (all of them, or only <paramref name="blockId"/>).</summary>
    public Task<ChangeSet> RejectAsync(string changeSetId, string reviewer, string? blockId = null, CancellationToken cancellationToken = default) =>
        DecideAsync(changeSetId, reviewer, blockId, (_, change, _) =>
            Task.FromResult(change with { State = BlockChangeState.Rejected, Reason = $"rejected by {reviewer}" }), cancellationToken);

    /// <summary>
    /// Undoes the applied blocks of a change set. A block that was written again since is not touched: it is
    /// reported in <see cref="RevertResult.Conflicts"/> and the change set stays as it was for that block.
    /// </summary>
    public Task<RevertResult> RevertAsync(string changeSetId, string author, CancellationToken cancellationToken = default) =>
        memory.WriteAsync(async (writer, ct) =>
        {
            var changeSet = await LoadAsync(writer, changeSetId, ct).ConfigureAwait(false);
            if (changeSet.Status is not (ChangeSetStatus.Committed or ChangeSetStatus.NeedsReview))
            {
                throw new ChangeSetStateException(changeSetId, changeSet.Status, $"Change set '{changeSetId}' is {changeSet.Status}; only committed change sets can be reverted.");
            }

            var conflicts = new List<BlockChange>();
            var blocksAfter = new List<BlockChange>();
            foreach (var change in changeSet.Blocks)
            {
                if (change.State is not (BlockChangeState.Applied or BlockChangeState.Rebased))
                {
                    blocksAfter.Add(change);
                    continue;
                }

                var current = await writer.GetBlockAsync(change.BlockId, ct).ConfigureAwait(false);
                if (current is not null && current.Version == change.AppliedVersion)
                {
                    await writer.WriteBlockAsync(current, change.ReplacedValue!, author, ct).ConfigureAwait(false);
                    blocksAfter.Add(change with { State = BlockChangeState.Reverted, Reason = $"reverted by {author}" });
                }
                else
                {
                    conflicts.Add(change with { ConflictVersion = current?.Version, ConflictValue = current?.Value });
                    blocksAfter.Add(change);
                }
            }

            var reverted = changeSet with
            {
                Blocks = blocksAfter,
                Status = conflicts.Count == 0 ? ChangeSetStatus.Reverted : changeSet.Status,
                ResolvedAt = time.GetUtcNow(),
                ResolvedBy = author,
            };
            await writer.SaveChangeSetAsync(reverted, ct).ConfigureAwait(false);
            return new RevertResult(reverted, conflicts);
        }, cancellationToken);

    private Task<ChangeSet> DecideAsync(string changeSetId, string reviewer, string? blockId, Func<IMemoryWriter, BlockChange, CancellationToken, Task<BlockChange>> decide, CancellationToken cancellationToken) =>
        memory.WriteAsync(async (writer, ct) =>
        {
            var changeSet = await LoadAsync(writer, changeSetId, ct).ConfigureAwait(false);
            if (changeSet.Status is not (ChangeSetStatus.Pending or ChangeSetStatus.NeedsReview))
            {
                throw new ChangeSetStateException(changeSetId, changeSet.Status, $"Change set '{changeSetId}' is {changeSet.Status}; nothing in it waits for review.");
            }

            if (blockId is not null && changeSet.AwaitingReview.All(b => b.BlockId != blockId))
            {
                throw new SleepTimeValidationException("blockId", $"Block '{blockId}' has no change waiting for review in change set '{changeSetId}'.");
            }

            var decided = new List<BlockChange>(changeSet.Blocks.Count);
            foreach (var change in changeSet.Blocks)
            {
                var waiting = change.State is BlockChangeState.Proposed or BlockChangeState.Conflict or BlockChangeState.HeldForReview;
                decided.Add(waiting && (blockId is null || change.BlockId == blockId) ? await decide(writer, change, ct).ConfigureAwait(false) : change);
            }

            var status = StatusOf(decided);
            var updated = changeSet with
            {
                Blocks = decided,
                Status = status,
                ResolvedAt = status == ChangeSetStatus.NeedsReview ? changeSet.ResolvedAt : time.GetUtcNow(),
                ResolvedBy = status == ChangeSetStatus.NeedsReview ? changeSet.ResolvedBy : reviewer,
            };
            await writer.SaveChangeSetAsync(updated, ct).ConfigureAwait(false);
            return updated;
        }, cancellationToken);

    private static async Task<BlockChange> ApplyAsync(IMemoryWriter writer, BlockChange change, string author, bool allowConfirmedChanges, bool overwrite, CancellationToken cancellationToken)
    {
        var current = await writer.GetBlockAsync(change.BlockId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return change with { State = BlockChangeState.Conflict, Reason = "the block was deleted" };
        }

        string proposed;
        var rebased = false;
        if (current.Version == change.BaseVersion)
        {
            proposed = change.After;
        }
        else
        {
            var rebase = Rebase.Onto(current.Value, change.Edits);
            if (!rebase.Succeeded && !overwrite)
            {
                return Conflict(change, current, $"block '{change.Label}' changed (version {change.BaseVersion} → {current.Version}) and the edits no longer apply: {rebase.Error}");
            }

            proposed = rebase.Value ?? change.After;
            rebased = rebase.Succeeded;
        }

        if (proposed.Length > current.Limit)
        {
            return Conflict(change, current, $"the result is {proposed.Length} characters, over the block's limit of {current.Limit}");
        }

        if (!allowConfirmedChanges && ConfirmedLines.Removed(current.Value, proposed) is { Count: > 0 } contradicted)
        {
            return change with
            {
                State = BlockChangeState.HeldForReview,
                Reason = "the change removes or alters confirmed line(s): " + string.Join(" | ", contradicted),
                ConflictVersion = current.Version == change.BaseVersion ? null : current.Version,
                ConflictValue = current.Version == change.BaseVersion ? null : current.Value,
            };
        }

        var written = await writer.WriteBlockAsync(current, proposed, author, cancellationToken).ConfigureAwait(false);
        var moved = current.Version != change.BaseVersion;
        return change with
        {
            State = rebased ? BlockChangeState.Rebased : BlockChangeState.Applied,
            Reason = moved ? (rebased ? $"rebased from version {change.BaseVersion} onto {current.Version}" : $"overwrote version {current.Version} on {author}'s approval") : null,
            Diff = moved ? LineDiff.Unified(current.Value, proposed, change.Label) : change.Diff,
            AppliedVersion = written.Version,
            ReplacedValue = current.Value,
            AppliedValue = proposed,
            ConflictVersion = null,
            ConflictValue = null,
        };
    }

    private static BlockChange Conflict(BlockChange change, Block current, string reason) =>
        change with { State = BlockChangeState.Conflict, Reason = reason, ConflictVersion = current.Version, ConflictValue = current.Value };

    private static ChangeSetStatus StatusOf(IReadOnlyList<BlockChange> decided)
    {
        if (decided.Any(b => b.State is BlockChangeState.Proposed or BlockChangeState.Conflict or BlockChangeState.HeldForReview))
        {
            return ChangeSetStatus.NeedsReview;
        }

        return decided.Count > 0 && decided.All(b => b.State == BlockChangeState.Rejected)
            ? ChangeSetStatus.Rejected
            : ChangeSetStatus.Committed;
    }

    private static async Task<ChangeSet> LoadAsync(IMemoryWriter writer, string changeSetId, CancellationToken cancellationToken) =>
        await writer.GetChangeSetAsync(changeSetId, cancellationToken).ConfigureAwait(false) ?? throw new ChangeSetNotFoundException(changeSetId);
}
