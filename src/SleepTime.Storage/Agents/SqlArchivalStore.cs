using Dapper;

namespace SleepTime.Storage;

/// <summary>A tenant's archival passages with their embeddings (a JSON array; ranking happens in <see cref="ArchivalMemory"/>).</summary>
public sealed class SqlArchivalStore(SleepTimeDatabase database, string tenantId) : IArchivalStore
{
    public async Task AddAsync(ArchivalPassage passage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passage);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "INSERT INTO archival_passages (tenant_id, id, agent_id, text, embedding, created_at) VALUES (@tenantId, @Id, @AgentId, @Text, @embedding, @createdAt)",
            new
            {
                tenantId,
                passage.Id,
                passage.AgentId,
                passage.Text,
                embedding = passage.Embedding is { } vector ? AgentJson.Write(vector.ToArray()) : null,
                createdAt = Clock.ToUnix(passage.CreatedAt),
            }).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ArchivalPassage>> ListAsync(string agentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            "SELECT id AS Id, agent_id AS AgentId, text AS Text, embedding AS Embedding, created_at AS CreatedAt FROM archival_passages WHERE tenant_id = @tenantId AND agent_id = @agentId ORDER BY created_at, id",
            new { tenantId, agentId }).ConfigureAwait(false);
        return rows.Select(r => new ArchivalPassage(
            r.Id, r.AgentId, r.Text, Clock.FromUnix(r.CreatedAt),
            r.Embedding is null ? null : new ReadOnlyMemory<float>(AgentJson.Read<float[]>(r.Embedding)))).ToList();
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string AgentId { get; set; } = "";

        public string Text { get; set; } = "";

        public string? Embedding { get; set; }

        public long CreatedAt { get; set; }
    }
}
