using System.Collections.Concurrent;
using Dapper;

namespace SleepTime.Storage;

/// <summary>
/// A tenant's change sets, stored whole as JSON (edits included) with a row version. <see cref="UpdateAsync"/> is a
/// compare-and-swap against the row version this store instance last read for that change set, so two committers
/// (two nodes, or two store instances) that both read a change set cannot overwrite each other: the later write
/// fails with <see cref="ChangeSetStateException"/> instead of silently replacing the first decision.
/// </summary>
public sealed class SqlChangeSetStore(SleepTimeDatabase database, string tenantId) : IChangeSetStore
{
    // IChangeSetStore.UpdateAsync carries no expected version, so the version read here stands in for it.
    private readonly ConcurrentDictionary<string, long> readVersions = new(StringComparer.Ordinal);

    public async Task AddAsync(ChangeSet changeSet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changeSet);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO change_sets (tenant_id, id, primary_agent_id, sleeptime_agent_id, status, created_at, row_version, body)
            VALUES (@tenantId, @Id, @PrimaryAgentId, @SleepTimeAgentId, @status, @createdAt, 1, @body)
            """,
            new
            {
                tenantId,
                changeSet.Id,
                changeSet.PrimaryAgentId,
                changeSet.SleepTimeAgentId,
                status = changeSet.Status.ToString(),
                createdAt = Clock.ToUnix(changeSet.CreatedAt),
                body = AgentJson.Write(changeSet),
            }).ConfigureAwait(false);
        readVersions[changeSet.Id] = 1;
    }

    public async Task<ChangeSet?> GetAsync(string changeSetId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            "SELECT row_version AS RowVersion, body AS Body FROM change_sets WHERE tenant_id = @tenantId AND id = @changeSetId",
            new { tenantId, changeSetId }).ConfigureAwait(false);
        return row is null ? null : Remember(row);
    }

    public async Task UpdateAsync(ChangeSet changeSet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changeSet);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!readVersions.TryRemove(changeSet.Id, out var expected))
        {
            // Written without being read through this store: swap against whatever version is there now.
            expected = await connection.ExecuteScalarAsync<long?>(
                "SELECT row_version FROM change_sets WHERE tenant_id = @tenantId AND id = @Id", new { tenantId, changeSet.Id }).ConfigureAwait(false)
                ?? throw new ChangeSetNotFoundException(changeSet.Id);
        }

        var updated = await connection.ExecuteAsync(
            """
            UPDATE change_sets SET status = @status, body = @body, row_version = row_version + 1
            WHERE tenant_id = @tenantId AND id = @Id AND row_version = @expected
            """,
            new { tenantId, changeSet.Id, status = changeSet.Status.ToString(), body = AgentJson.Write(changeSet), expected }).ConfigureAwait(false);
        if (updated == 1)
        {
            readVersions[changeSet.Id] = expected + 1;
            return;
        }

        var current = await GetAsync(changeSet.Id, cancellationToken).ConfigureAwait(false) ?? throw new ChangeSetNotFoundException(changeSet.Id);
        readVersions.TryRemove(changeSet.Id, out _);
        throw new ChangeSetStateException(changeSet.Id, current.Status, $"Change set '{changeSet.Id}' was changed by someone else (it is now {current.Status}); read it again and retry.");
    }

    public Task<IReadOnlyList<ChangeSet>> ListAsync(string? primaryAgentId = null, ChangeSetStatus? status = null, CancellationToken cancellationToken = default) =>
        ListAsync(primaryAgentId, status, int.MaxValue, cancellationToken);

    /// <summary>Newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<ChangeSet>> ListAsync(string? primaryAgentId, ChangeSetStatus? status, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            """
            SELECT row_version AS RowVersion, body AS Body FROM change_sets
            WHERE tenant_id = @tenantId AND (@primaryAgentId IS NULL OR primary_agent_id = @primaryAgentId) AND (@status IS NULL OR status = @status)
            ORDER BY created_at DESC, id DESC LIMIT @limit
            """,
            new { tenantId, primaryAgentId, status = status?.ToString(), limit = (long)Math.Clamp(limit, 1, 100_000) }).ConfigureAwait(false);
        return rows.Select(Remember).ToList();
    }

    private ChangeSet Remember(Row row)
    {
        var changeSet = AgentJson.Read<ChangeSet>(row.Body);
        readVersions[changeSet.Id] = row.RowVersion;
        return changeSet;
    }

    private sealed class Row
    {
        public long RowVersion { get; set; }

        public string Body { get; set; } = "";
    }
}
