using Dapper;

namespace SleepTime.Storage;

/// <summary>
/// Every tenant's sleepers with their schedules and what they have left unread, for a node that rebuilds its
/// time-based triggers at start-up and queues the runs a crash may have lost between a write and its trigger.
/// </summary>
public sealed class SleeperSchedules(SleepTimeDatabase database)
{
    public async Task<IReadOnlyList<ScheduledSleeper>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var contexts = await connection.QueryAsync<Row>(
            """
            SELECT c.tenant_id AS TenantId, c.id AS SleeperId, c.id AS MemoryId, c.schedule AS Schedule, c.updated_at AS LastChangeAt,
                   CASE WHEN c.version > c.processed_version THEN 1 ELSE 0 END AS HasUnread,
                   (SELECT COUNT(*) FROM runs r WHERE r.tenant_id = c.tenant_id AND r.kind = 'context' AND r.sleeper_id = c.id AND r.status IN ('queued', 'running')) AS LiveRuns
            FROM contexts c
            """).ConfigureAwait(false);
        var agents = await connection.QueryAsync<Row>(
            """
            SELECT s.tenant_id AS TenantId, s.id AS SleeperId, s.primary_agent_id AS MemoryId, s.schedule AS Schedule,
                   (SELECT MAX(m.created_at) FROM agent_messages m WHERE m.tenant_id = s.tenant_id AND m.agent_id = s.primary_agent_id) AS LastChangeAt,
                   CASE WHEN EXISTS (SELECT 1 FROM agent_messages m WHERE m.tenant_id = s.tenant_id AND m.agent_id = s.primary_agent_id AND m.sequence > s.watermark_messages)
                          OR EXISTS (SELECT 1 FROM agent_documents d WHERE d.tenant_id = s.tenant_id AND d.agent_id = s.primary_agent_id AND d.sequence > s.watermark_documents)
                        THEN 1 ELSE 0 END AS HasUnread,
                   (SELECT COUNT(*) FROM runs r WHERE r.tenant_id = s.tenant_id AND r.kind = 'agent' AND r.sleeper_id = s.id AND r.status IN ('queued', 'running')) AS LiveRuns
            FROM sleeptime_agents s
            """).ConfigureAwait(false);
        return contexts.Select(r => r.ToSleeper(SleeperKind.Context))
            .Concat(agents.Select(r => r.ToSleeper(SleeperKind.Agent)))
            .ToList();
    }

    private sealed class Row
    {
        public string TenantId { get; set; } = "";

        public string SleeperId { get; set; } = "";

        public string MemoryId { get; set; } = "";

        public string? Schedule { get; set; }

        public long? LastChangeAt { get; set; }

        public long HasUnread { get; set; }

        public long LiveRuns { get; set; }

        public ScheduledSleeper ToSleeper(string kind) =>
            new(TenantId, kind, SleeperId, MemoryId, Schedule, HasUnread != 0, LiveRuns > 0, Clock.FromUnix(LastChangeAt));
    }
}

/// <param name="Schedule">The sleeper's own policy as stored (null: the default of its kind).</param>
/// <param name="HasUnread">Its sources gained something after its watermark.</param>
/// <param name="HasLiveRun">A run of it is queued or running.</param>
/// <param name="LastChangeAt">When its sources last changed.</param>
public sealed record ScheduledSleeper(string TenantId, string Kind, string SleeperId, string MemoryId, string? Schedule, bool HasUnread, bool HasLiveRun, DateTimeOffset? LastChangeAt);
