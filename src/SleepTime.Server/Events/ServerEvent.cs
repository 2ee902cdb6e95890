namespace SleepTime.Server;

/// <summary>
/// Something that happened to a memory: a run changed state, memory was committed, a change set was stored. One
/// vocabulary for contexts and agents; <c>MemoryId</c> is the context id on the contexts stream and the agent id on
/// the agents stream.
/// </summary>
public sealed record ServerEvent(string Type, string TenantId, string MemoryId, object Data, DateTimeOffset At, EventStream Stream = EventStream.Contexts)
{
    public const string RunQueued = "run.queued";
    public const string RunStarted = "run.started";
    public const string RunSucceeded = "run.succeeded";
    public const string RunFailed = "run.failed";
    public const string RunCancelled = "run.cancelled";
    public const string RunSkipped = "run.skipped";
    public const string MemoryUpdated = "memory.updated";
    public const string ChangeSetCreated = "change_set.created";
    public const string ChangeSetUpdated = "change_set.updated";

    public static string OfRunStatus(string status) => status switch
    {
        RunStatus.Queued => RunQueued,
        RunStatus.Running => RunStarted,
        RunStatus.Failed => RunFailed,
        RunStatus.Cancelled => RunCancelled,
        RunStatus.Skipped => RunSkipped,
        _ => RunSucceeded,
    };

    public static EventStream StreamOf(string kind) => kind == SleeperKind.Agent ? EventStream.Agents : EventStream.Contexts;

    /// <summary>A run's event, on the stream of the memory it writes.</summary>
    public static ServerEvent ForRun(string type, RunRecord run, DateTimeOffset at) =>
        new(type, run.TenantId, run.MemoryId, RunView.From(run), at, StreamOf(run.Kind));
}
