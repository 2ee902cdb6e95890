using Dapper;

namespace SleepTime.Storage;

/// <summary>
/// The schedules of every tenant's contexts, for a node that keeps its time-based triggers in memory and rebuilds
/// them at start-up from what the database holds.
/// </summary>
public sealed class ContextSchedules(SleepTimeDatabase database)
{
    /// <param name="includeDefault">Also list contexts that follow the server-wide default schedule (no own schedule).</param>
    public async Task<IReadOnlyList<ScheduledContext>> ListAsync(bool includeDefault, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            "SELECT tenant_id AS TenantId, id AS ContextId, schedule AS Schedule, version AS Version, processed_version AS ProcessedVersion, updated_at AS UpdatedAt FROM contexts"
            + (includeDefault ? string.Empty : " WHERE schedule IS NOT NULL")).ConfigureAwait(false);
        return rows.Select(r => new ScheduledContext(r.TenantId, r.ContextId, r.Schedule, r.Version, r.ProcessedVersion, Clock.FromUnix(r.UpdatedAt))).ToList();
    }

    private sealed class Row
    {
        public string TenantId { get; set; } = "";

        public string ContextId { get; set; } = "";

        public string? Schedule { get; set; }

        public long Version { get; set; }

        public long ProcessedVersion { get; set; }

        public long UpdatedAt { get; set; }
    }
}

public sealed record ScheduledContext(string TenantId, string ContextId, string? Schedule, long Version, long ProcessedVersion, DateTimeOffset UpdatedAt);
