using Dapper;

namespace SleepTime.Storage;

/// <summary>Every tenant's codebase contexts, for a node that looks at the directories they read on disk.</summary>
public sealed class CodebaseContexts(SleepTimeDatabase database)
{
    /// <summary>Each codebase context as (tenant, id), in order.</summary>
    public async Task<IReadOnlyList<(string TenantId, string ContextId)>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, string)>(
            "SELECT tenant_id, id FROM contexts WHERE kind = @kind ORDER BY tenant_id, id", new { kind = nameof(ContextKind.Codebase) }).ConfigureAwait(false);
        return rows.ToList();
    }
}
