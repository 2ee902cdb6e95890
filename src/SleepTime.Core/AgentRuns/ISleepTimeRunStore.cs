namespace SleepTime;

/// <summary>
/// Run records. A database implementation makes runs durable: on start-up the server re-queues runs left
/// <see cref="SleepTimeRunStatus.Queued"/> or <see cref="SleepTimeRunStatus.Running"/> by a crash (their watermark never moved).
/// </summary>
public interface ISleepTimeRunStore
{
    Task AddAsync(SleepTimeRun run, CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored run with the same id.</summary>
    Task UpdateAsync(SleepTimeRun run, CancellationToken cancellationToken = default);

    Task<SleepTimeRun?> GetAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Newest first; each filter is ignored when null.</summary>
    Task<IReadOnlyList<SleepTimeRun>> ListAsync(string? sleepTimeAgentId = null, SleepTimeRunStatus? status = null, CancellationToken cancellationToken = default);

    /// <summary>Tokens spent by the agent's runs that started at or after <paramref name="since"/> (for the daily budget).</summary>
    Task<long> TokensUsedSinceAsync(string sleepTimeAgentId, DateTimeOffset since, CancellationToken cancellationToken = default);
}
