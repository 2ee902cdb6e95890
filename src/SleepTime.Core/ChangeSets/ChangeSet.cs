namespace SleepTime;

/// <summary>
/// What one sleep-time run proposed to change, per block, and what became of it. Nothing in a change set touches
/// a block until <see cref="ChangeSetCommitter"/> commits it; afterwards the blocks record how each was applied.
/// </summary>
/// <param name="SourceMessageIds">The transcript messages the run read (everything after the agent's watermark).</param>
/// <param name="SourceDocumentIds">The documents the run read.</param>
/// <param name="PromptVersion">The system prompt the run used, e.g. <c>sleep-time-agent.v1</c>.</param>
public sealed record ChangeSet(
    string Id,
    string SleepTimeAgentId,
    string PrimaryAgentId,
    string? RunId,
    ChangeSetStatus Status,
    IReadOnlyList<BlockChange> Blocks,
    IReadOnlyList<string> SourceMessageIds,
    IReadOnlyList<string> SourceDocumentIds,
    string? Model,
    string PromptVersion,
    TokenUsage Usage,
    decimal? Cost,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt = null,
    string? ResolvedBy = null)
{
    public BlockChange Block(string blockId) =>
        Blocks.FirstOrDefault(b => b.BlockId == blockId) ?? throw new BlockNotFoundException(blockId);

    /// <summary>The blocks that wait for a person: conflicts, confirmed-line contradictions, and everything behind a review gate.</summary>
    public IEnumerable<BlockChange> AwaitingReview => Blocks.Where(b => b.State is BlockChangeState.Proposed or BlockChangeState.Conflict or BlockChangeState.HeldForReview);
}
