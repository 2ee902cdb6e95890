namespace SleepTime.Server;

/// <summary>
/// A sleep run as the API shows it, the same for a context's runs and a sleep-time agent's runs. <c>kind</c> says
/// which; <c>sleeper_id</c> is the context id or the sleep-time agent id; <c>memory_id</c> the context or the primary agent
/// whose memory the run writes. Context runs carry <c>context_version</c> and <c>learned_version</c>; agent runs
/// <c>change_set_id</c> and the watermark they read from and moved to.
/// </summary>
public sealed record RunView(
    string Id,
    string Kind,
    string SleeperId,
    string MemoryId,
    string? ContextId,
    string Status,
    string Trigger,
    string? Reason,
    string? Error,
    int Attempt,
    int Coalesced,
    bool CancelRequested,
    long? ContextVersion,
    long? LearnedVersion,
    string? ChangeSetId,
    string? Model,
    int ToolErrors,
    SleepTimeWatermark? ReadFrom,
    SleepTimeWatermark? ReadTo,
    UsageView Usage,
    double Cost,
    string? Node,
    DateTimeOffset QueuedAt,
    DateTimeOffset NotBefore,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationSeconds)
{
    public static RunView From(RunRecord run) => new(
        run.Id, run.Kind, run.SleeperId, run.MemoryId, run.Kind == SleeperKind.Context ? run.SleeperId : null, run.Status, run.Trigger, run.Reason,
        run.Error, run.Attempt, run.Coalesced, run.CancelRequested, run.ContextVersion, run.LearnedVersion, run.ChangeSetId, run.Model, run.ToolErrors,
        run.ReadFrom, run.ReadTo, UsageView.From(run.Usage), run.Cost, run.Node, run.QueuedAt, run.NotBefore, run.StartedAt, run.FinishedAt,
        run.Duration?.TotalSeconds);
}
