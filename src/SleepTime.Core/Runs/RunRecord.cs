namespace SleepTime;

/// <summary>
/// One durable unit of sleep work of one sleeper: what triggered it, where it is, what it read, what it cost and why
/// it ended as it did. The same record for a context's runs and a sleep-time agent's runs.
/// </summary>
/// <param name="Kind">A <see cref="SleeperKind"/>.</param>
/// <param name="SleeperId">The sleeper: a context id (its default sleeper) or a sleep-time agent id. One run at a time per sleeper.</param>
/// <param name="MemoryId">The memory the run writes: the context id, or the primary agent whose blocks it edits.</param>
/// <param name="ContextVersion">Contexts: the context version the run read.</param>
/// <param name="LearnedVersion">Contexts: the learned-context version the run committed.</param>
/// <param name="ReadFrom">Agents: the committed watermark the run read from.</param>
/// <param name="ReadTo">Agents: where the watermark moved when the run committed.</param>
public sealed record RunRecord(
    string Id,
    string TenantId,
    string Kind,
    string SleeperId,
    string MemoryId,
    string Status,
    string Trigger,
    string? Reason,
    string? Error,
    int Attempt,
    int Coalesced,
    bool CancelRequested,
    long? ContextVersion,
    long? LearnedVersion,
    TokenUsage Usage,
    double Cost,
    string? Node,
    DateTimeOffset QueuedAt,
    DateTimeOffset NotBefore,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? ChangeSetId = null,
    string? Model = null,
    int ToolErrors = 0,
    SleepTimeWatermark? ReadFrom = null,
    SleepTimeWatermark? ReadTo = null)
{
    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}
