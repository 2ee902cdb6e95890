namespace SleepTime.Server;

/// <summary>
/// Something that happened to a context (a run changed state, a learned context was committed) or, on the agents
/// stream, to an agent. <c>ContextId</c> holds the agent's id on the agents stream.
/// </summary>
public sealed record ServerEvent(string Type, string TenantId, string ContextId, object Data, DateTimeOffset At, EventStream Stream = EventStream.Contexts)
{
    public const string RunQueued = "run.queued";
    public const string RunStarted = "run.started";
    public const string RunSucceeded = "run.succeeded";
    public const string RunFailed = "run.failed";
    public const string RunCancelled = "run.cancelled";
    public const string RunSkipped = "run.skipped";
    public const string LearnedContextUpdated = "learned_context.updated";
}
