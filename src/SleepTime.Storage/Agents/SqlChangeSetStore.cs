using Dapper;

namespace SleepTime.Storage;

/// <summary>A tenant's change sets, stored whole as JSON (edits included); written only through <see cref="SqlMemoryWriter"/>.</summary>
public sealed class SqlChangeSetStore(SleepTimeDatabase database, string tenantId) : IChangeSetStore
{
    public async Task<ChangeSet?> GetAsync(string changeSetId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var body = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT body FROM change_sets WHERE tenant_id = @tenantId AND id = @changeSetId", new { tenantId, changeSetId }).ConfigureAwait(false);
        return body is null ? null : AgentJson.Read<ChangeSet>(body);
    }

    public Task<IReadOnlyList<ChangeSet>> ListAsync(string? primaryAgentId = null, ChangeSetStatus? status = null, CancellationToken cancellationToken = default) =>
        ListAsync(primaryAgentId, status, int.MaxValue, cancellationToken);

    /// <summary>Newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<ChangeSet>> ListAsync(string? primaryAgentId, ChangeSetStatus? status, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var bodies = await connection.QueryAsync<string>(
            """
            SELECT body FROM change_sets
            WHERE tenant_id = @tenantId AND (@primaryAgentId IS NULL OR primary_agent_id = @primaryAgentId) AND (@status IS NULL OR status = @status)
            ORDER BY created_at DESC, id DESC LIMIT @limit
            """,
            new { tenantId, primaryAgentId, status = status?.ToString(), limit = (long)Math.Clamp(limit, 1, 100_000) }).ConfigureAwait(false);
        return bodies.Select(AgentJson.Read<ChangeSet>).ToList();
    }
}
