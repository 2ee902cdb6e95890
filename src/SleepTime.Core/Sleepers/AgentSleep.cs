using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// One sleep of a sleep-time agent, the same on a server and in a library: read the transcript and documents after
/// its watermark, run the line-edit loop over the agent's blocks, and propose a change set. <see cref="CommitAsync"/>
/// then writes the change set and moves the watermark in one unit of memory writes.
/// </summary>
public sealed class AgentSleep(AgentStores stores, AgentSleepOptions? options = null, TimeProvider? timeProvider = null)
{
    private readonly AgentSleepOptions options = options ?? new AgentSleepOptions();
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    /// <param name="runId">The run this sleep belongs to; the change set names it.</param>
    /// <param name="maxTotalTokens">Tokens the sleep may spend; one that would cross it fails <see cref="SleepFailureReason.OverBudget"/> with no changes.</param>
    public async Task<AgentSleepResult> RunAsync(SleepTimeAgent sleeper, IChatClient model, string runId, long? maxTotalTokens = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sleeper);
        ArgumentNullException.ThrowIfNull(model);
        var watermark = await stores.Agents.GetWatermarkAsync(sleeper.Id, cancellationToken).ConfigureAwait(false);
        var messages = await stores.Messages.ListAsync(sleeper.PrimaryAgentId, watermark.MessageSequence, cancellationToken).ConfigureAwait(false);
        var unread = await stores.Documents.ListAsync(sleeper.PrimaryAgentId, watermark.DocumentSequence, cancellationToken).ConfigureAwait(false);
        var documents = unread.Take(Math.Max(1, options.MaxDocumentPartsPerRun)).ToList();
        if (messages.Count == 0 && documents.Count == 0)
        {
            return new AgentSleepResult(RunStatus.Skipped, watermark, watermark, null, false, TokenUsage.Zero, null, 0, "Nothing new since the last committed run.", null, null);
        }

        var primary = await stores.Agents.GetAgentAsync(sleeper.PrimaryAgentId, cancellationToken).ConfigureAwait(false)
            ?? throw new AgentNotFoundException(sleeper.PrimaryAgentId);
        var blocks = new List<Block>(primary.BlockIds.Count);
        foreach (var blockId in primary.BlockIds)
        {
            blocks.Add(await stores.Blocks.GetAsync(blockId, cancellationToken).ConfigureAwait(false) ?? throw new BlockNotFoundException(blockId));
        }

        var loop = new SleepTimeAgentLoop(model, options.Loop with { MaxOutputTokens = sleeper.Schedule.MaxOutputTokens ?? options.Loop.MaxOutputTokens, MaxTotalTokens = maxTotalTokens ?? options.Loop.MaxTotalTokens }, options.TokenCounter, time);
        var outcome = await loop.RunAsync(new SleepTimeInput(blocks, messages, documents), cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return new AgentSleepResult(RunStatus.Failed, watermark, watermark, null, false, outcome.Usage, outcome.Model, outcome.ToolErrors, null, outcome.Error, outcome.FailureReason);
        }

        var next = new SleepTimeWatermark(
            messages.Count > 0 ? messages[^1].Sequence : watermark.MessageSequence,
            documents.Count > 0 ? documents[^1].Sequence : watermark.DocumentSequence);
        var changeSet = outcome.Changes.Count == 0
            ? null
            : new ChangeSet(
                Ids.New("changes"), sleeper.Id, sleeper.PrimaryAgentId, runId, ChangeSetStatus.Pending, outcome.Changes,
                messages.Select(m => m.Id).ToList(), documents.Select(d => d.Id).ToList(),
                outcome.Model, outcome.PromptVersion, outcome.Usage, sleeper.Cost?.Price(ComputePhase.Sleep, outcome.Usage), time.GetUtcNow());
        return new AgentSleepResult(RunStatus.Succeeded, watermark, next, changeSet, unread.Count > documents.Count, outcome.Usage, outcome.Model, outcome.ToolErrors, null, null, null);
    }

    /// <summary>What the sleeper has not read yet: the primary agent's messages and documents after its watermark.</summary>
    public static async Task<UnreadSources> UnreadAsync(AgentStores stores, SleepTimeAgent sleeper, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(sleeper);
        var watermark = await stores.Agents.GetWatermarkAsync(sleeper.Id, cancellationToken).ConfigureAwait(false);
        var messages = await stores.Messages.ListAsync(sleeper.PrimaryAgentId, watermark.MessageSequence, cancellationToken).ConfigureAwait(false);
        var documents = await stores.Documents.ListAsync(sleeper.PrimaryAgentId, watermark.DocumentSequence, cancellationToken).ConfigureAwait(false);
        return new UnreadSources(
            messages.Count,
            messages.Count(m => m.Role == ChatRole.User),
            messages.Sum(m => (long)m.Tokens),
            documents.Count,
            messages.Count > 0 ? messages[0].CreatedAt : documents.Count > 0 ? documents[0].AddedAt : null);
    }

    /// <summary>
    /// Writes a succeeded sleep's change set (held for review when the sleeper asks for it, else committed block by
    /// block with rebase or conflict) and moves the watermark, inside <paramref name="writer"/>'s unit: all or nothing.
    /// Returns the change set as stored and the run's reason.
    /// </summary>
    /// <exception cref="SleepTimeConflictException">The watermark had moved: another run committed this input first.</exception>
    public static async Task<(ChangeSet? ChangeSet, string Reason)> CommitAsync(IMemoryWriter writer, SleepTimeAgent sleeper, AgentSleepResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(sleeper);
        ArgumentNullException.ThrowIfNull(result);
        ChangeSet? stored = null;
        string reason;
        if (result.ChangeSet is not { } proposed)
        {
            reason = "No changes: the model finished without editing.";
        }
        else if (sleeper.RequireReview)
        {
            await writer.SaveChangeSetAsync(proposed, cancellationToken).ConfigureAwait(false);
            stored = proposed;
            reason = $"{proposed.Blocks.Count} block change(s) held for review.";
        }
        else
        {
            stored = await ChangeSetCommitter.CommitAsync(writer, proposed, "sleep-time:" + sleeper.Id, cancellationToken).ConfigureAwait(false);
            var waiting = stored.AwaitingReview.ToList();
            reason = waiting.Count == 0
                ? $"Committed {stored.Blocks.Count} block change(s)."
                : $"Committed {stored.Blocks.Count - waiting.Count} block change(s); {waiting.Count} wait for review: " + string.Join("; ", waiting.Select(b => $"{b.Label}: {b.Reason}"));
        }

        if (!await writer.TryAdvanceWatermarkAsync(sleeper.Id, result.ReadFrom, result.ReadTo, cancellationToken).ConfigureAwait(false))
        {
            throw new SleepTimeConflictException($"The watermark of sleep-time agent '{sleeper.Id}' moved: another run committed this input first.");
        }

        return (stored, reason);
    }
}

/// <summary>Settings of every sleep-time agent's sleeps.</summary>
public sealed record AgentSleepOptions
{
    /// <summary>Document parts one run reads; the rest are read by follow-up runs, so findings reach the blocks part by part.</summary>
    public int MaxDocumentPartsPerRun { get; init; } = 1;

    public SleepTimeLoopOptions Loop { get; init; } = new();

    public ITokenCounter? TokenCounter { get; init; }
}

/// <summary>What one sleep of a sleep-time agent produced, before its commit.</summary>
/// <param name="Status">succeeded, skipped (nothing unread) or failed (a <see cref="RunStatus"/> value).</param>
/// <param name="ReadFrom">The committed watermark the sleep read from.</param>
/// <param name="ReadTo">Where the watermark moves when the sleep commits.</param>
/// <param name="ChangeSet">The proposed change set; null when the model finished without changes.</param>
/// <param name="MoreDocuments">Document parts are left for a follow-up run.</param>
public sealed record AgentSleepResult(
    string Status,
    SleepTimeWatermark ReadFrom,
    SleepTimeWatermark ReadTo,
    ChangeSet? ChangeSet,
    bool MoreDocuments,
    TokenUsage Usage,
    string? Model,
    int ToolErrors,
    string? Reason,
    string? Error,
    SleepFailureReason? FailureReason);
