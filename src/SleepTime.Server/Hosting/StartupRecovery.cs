namespace SleepTime.Server;

/// <summary>
/// Whether this node has finished its start-up recovery (runs claimed again, lost triggers queued, idle and cron
/// re-armed). <c>/ready</c> answers 503 until then, so nothing that waits for readiness races the recovery.
/// </summary>
public sealed class StartupRecovery
{
    private volatile bool done;

    public bool Done => done;

    internal void MarkDone() => done = true;
}
