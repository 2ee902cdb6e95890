namespace SleepTime;

/// <summary>
/// Decides when sleepers sleep and queues their runs; never waits for a run. The server's durable scheduler (Quartz on
/// SQLite or PostgreSQL) and the library's <see cref="InProcessSleepScheduler"/> both implement it.
/// </summary>
public interface ISleepScheduler
{
    /// <summary>
    /// A memory's sources gained entries (a context's entries, an agent's messages or documents): applies the policy
    /// of each sleeper of that memory. <paramref name="kind"/> is a <see cref="SleeperKind"/>.
    /// </summary>
    Task OnSourcesChangedAsync(string kind, string memoryId, CancellationToken cancellationToken = default);

    /// <summary>Queues a run of the sleeper now, or joins its queued run, and returns that run.</summary>
    Task<RunRecord> TriggerAsync(string kind, string sleeperId, string trigger = TriggerKinds.Manual, CancellationToken cancellationToken = default);
}
