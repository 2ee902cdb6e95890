using Dapper;

namespace SleepTime.Storage;

/// <summary>A tenant's agent documents, numbered per agent like messages.</summary>
public sealed class SqlDocumentStore(SleepTimeDatabase database, string tenantId, TimeProvider? timeProvider = null) : IDocumentStore
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public async Task<AgentDocument> AddAsync(string agentId, string title, string text, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new SleepTimeValidationException("text", "A document needs some text.");
        }

        var now = Clock.ToUnix(time.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var sequence = await connection.ExecuteScalarAsync<long?>(
            "UPDATE agents SET document_sequence = document_sequence + 1 WHERE tenant_id = @tenantId AND id = @agentId RETURNING document_sequence",
            new { tenantId, agentId }, transaction).ConfigureAwait(false) ?? throw new AgentNotFoundException(agentId);
        var document = new AgentDocument(Ids.New("doc"), agentId, sequence, string.IsNullOrWhiteSpace(title) ? "untitled" : title, text, Clock.FromUnix(now));
        await connection.ExecuteAsync(
            "INSERT INTO agent_documents (tenant_id, id, agent_id, sequence, title, text, added_at) VALUES (@tenantId, @Id, @AgentId, @Sequence, @Title, @Text, @now)",
            new { tenantId, document.Id, document.AgentId, document.Sequence, document.Title, document.Text, now }, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return document;
    }

    public async Task<IReadOnlyList<AgentDocument>> ListAsync(string agentId, long afterSequence = 0, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            """
            SELECT id AS Id, agent_id AS AgentId, sequence AS Sequence, title AS Title, text AS Text, added_at AS AddedAt
            FROM agent_documents WHERE tenant_id = @tenantId AND agent_id = @agentId AND sequence > @afterSequence ORDER BY sequence
            """,
            new { tenantId, agentId, afterSequence }).ConfigureAwait(false);
        return rows.Select(r => new AgentDocument(r.Id, r.AgentId, r.Sequence, r.Title, r.Text, Clock.FromUnix(r.AddedAt))).ToList();
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string AgentId { get; set; } = "";

        public long Sequence { get; set; }

        public string Title { get; set; } = "";

        public string Text { get; set; } = "";

        public long AddedAt { get; set; }
    }
}
