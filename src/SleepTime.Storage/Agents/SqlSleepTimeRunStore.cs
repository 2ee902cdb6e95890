using Dapper;

namespace SleepTime.Storage;

/// <summary>
/// A tenant's sleep-time runs, stored whole as JSON next to the columns they are filtered by. Queued and running rows
/// survive a crash, for <see cref="SleepTimeAgentCoordinator.RecoverInterruptedRunsAsync"/>.
/// </summary>
public sealed class SqlSleepTimeRunStore(SleepTimeDatabase database, string tenantId) : ISleepTimeRunStore
{
    public async Task AddAsync(SleepTimeRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO sleeptime_runs (tenant_id, id, sleeptime_agent_id, primary_agent_id, status, created_at, started_at, total_tokens, body)
            VALUES (@tenantId, @Id, @SleepTimeAgentId, @PrimaryAgentId, @status, @createdAt, @startedAt, @tokens, @body)
            """,
            Args(run)).ConfigureAwait(false);
    }

    public async Task UpdateAsync(SleepTimeRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync(
            "UPDATE sleeptime_runs SET status = @status, started_at = @startedAt, total_tokens = @tokens, body = @body WHERE tenant_id = @tenantId AND id = @Id",
            Args(run)).ConfigureAwait(false);
        if (updated == 0)
        {
            throw new SleepTimeNotFoundException($"Run '{run.Id}' was not found.");
        }
    }

    public async Task<SleepTimeRun?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var body = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT body FROM sleeptime_runs WHERE tenant_id = @tenantId AND id = @runId", new { tenantId, runId }).ConfigureAwait(false);
        return body is null ? null : AgentJson.Read<SleepTimeRun>(body);
    }

    public Task<IReadOnlyList<SleepTimeRun>> ListAsync(string? sleepTimeAgentId = null, SleepTimeRunStatus? status = null, CancellationToken cancellationToken = default) =>
        ListAsync(sleepTimeAgentId, status, primaryAgentId: null, limit: int.MaxValue, cancellationToken);

    /// <summary>Newest first, filtered by whatever is not null.</summary>
    public async Task<IReadOnlyList<SleepTimeRun>> ListAsync(string? sleepTimeAgentId, SleepTimeRunStatus? status, string? primaryAgentId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var bodies = await connection.QueryAsync<string>(
            """
            SELECT body FROM sleeptime_runs
            WHERE tenant_id = @tenantId AND (@sleepTimeAgentId IS NULL OR sleeptime_agent_id = @sleepTimeAgentId)
              AND (@status IS NULL OR status = @status) AND (@primaryAgentId IS NULL OR primary_agent_id = @primaryAgentId)
            ORDER BY created_at DESC, id DESC LIMIT @limit
            """,
            new { tenantId, sleepTimeAgentId, status = status?.ToString(), primaryAgentId, limit = (long)Math.Clamp(limit, 1, 100_000) }).ConfigureAwait(false);
        return bodies.Select(AgentJson.Read<SleepTimeRun>).ToList();
    }

    public async Task<long> TokensUsedSinceAsync(string sleepTimeAgentId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long?>(
            "SELECT SUM(total_tokens) FROM sleeptime_runs WHERE tenant_id = @tenantId AND sleeptime_agent_id = @sleepTimeAgentId AND started_at >= @since",
            new { tenantId, sleepTimeAgentId, since = Clock.ToUnix(since) }).ConfigureAwait(false) ?? 0;
    }

    /// <summary>The tenants with runs left queued or running, to recover at start-up.</summary>
    public static async Task<IReadOnlyList<string>> TenantsWithLiveRunsAsync(SleepTimeDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<string>(
            "SELECT DISTINCT tenant_id FROM sleeptime_runs WHERE status IN (@queued, @running)",
            new { queued = nameof(SleepTimeRunStatus.Queued), running = nameof(SleepTimeRunStatus.Running) }).ConfigureAwait(false);
        return ids.ToList();
    }

    private object Args(SleepTimeRun run) => new
    {
        tenantId,
        run.Id,
        run.SleepTimeAgentId,
        run.PrimaryAgentId,
        status = run.Status.ToString(),
        createdAt = Clock.ToUnix(run.CreatedAt),
        startedAt = run.StartedAt is { } started ? Clock.ToUnix(started) : (long?)null,
        tokens = run.Usage.TotalTokens,
        body = AgentJson.Write(run),
    };
}
