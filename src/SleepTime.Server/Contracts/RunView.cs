using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>A sleep run as the API shows it.</summary>
public sealed record RunView(
    string Id,
    string ContextId,
    string Status,
    string Trigger,
    string? Reason,
    string? Error,
    int Attempt,
    int Coalesced,
    bool CancelRequested,
    long? ContextVersion,
    long? LearnedVersion,
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
        run.Id, run.ContextId, run.Status, run.Trigger, run.Reason, run.Error, run.Attempt, run.Coalesced, run.CancelRequested,
        run.ContextVersion, run.LearnedVersion, UsageView.From(run.Usage), run.Cost, run.Node, run.QueuedAt, run.NotBefore,
        run.StartedAt, run.FinishedAt, run.Duration?.TotalSeconds);
}
