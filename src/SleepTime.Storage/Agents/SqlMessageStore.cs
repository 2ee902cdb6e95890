using Dapper;
using Microsoft.Extensions.AI;

namespace SleepTime.Storage;

/// <summary>
/// A tenant's conversations. Sequence numbers come from a counter on the agent's row, taken in the same write
/// transaction as the insert, so they are strictly increasing per agent on every node.
/// </summary>
public sealed class SqlMessageStore(SleepTimeDatabase database, string tenantId, TimeProvider? timeProvider = null) : IMessageStore
{
    private const string Columns = "id AS Id, agent_id AS AgentId, sequence AS Sequence, role AS Role, text AS Text, tokens AS Tokens, created_at AS CreatedAt";

    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public async Task<AgentMessage> AppendAsync(string agentId, ChatRole role, string text, int tokens, CancellationToken cancellationToken = default)
    {
        var now = Clock.ToUnix(time.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var sequence = await connection.ExecuteScalarAsync<long?>(
            "UPDATE agents SET message_sequence = message_sequence + 1 WHERE tenant_id = @tenantId AND id = @agentId RETURNING message_sequence",
            new { tenantId, agentId }, transaction).ConfigureAwait(false) ?? throw new AgentNotFoundException(agentId);
        var message = new AgentMessage(Ids.New("msg"), agentId, sequence, role, text, tokens, Clock.FromUnix(now));
        await connection.ExecuteAsync(
            "INSERT INTO agent_messages (tenant_id, id, agent_id, sequence, role, text, tokens, created_at) VALUES (@tenantId, @Id, @AgentId, @Sequence, @role, @Text, @tokens, @now)",
            new { tenantId, message.Id, message.AgentId, message.Sequence, role = role.Value, message.Text, tokens = (long)tokens, now }, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return message;
    }

    public async Task<IReadOnlyList<AgentMessage>> ListAsync(string agentId, long afterSequence = 0, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            $"SELECT {Columns} FROM agent_messages WHERE tenant_id = @tenantId AND agent_id = @agentId AND sequence > @afterSequence ORDER BY sequence",
            new { tenantId, agentId, afterSequence }).ConfigureAwait(false);
        return rows.Select(r => r.ToMessage()).ToList();
    }

    public async Task<IReadOnlyList<AgentMessage>> ListRecentAsync(string agentId, int count, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            $"SELECT {Columns} FROM agent_messages WHERE tenant_id = @tenantId AND agent_id = @agentId ORDER BY sequence DESC LIMIT @count",
            new { tenantId, agentId, count = (long)Math.Max(0, count) }).ConfigureAwait(false);
        return rows.Reverse().Select(r => r.ToMessage()).ToList();
    }

    /// <summary>BM25 over the agent's messages, like the in-memory store (an FTS5 / tsvector index is a later optimisation).</summary>
    public async Task<IReadOnlyList<AgentMessage>> SearchAsync(string agentId, string query, int limit, CancellationToken cancellationToken = default)
    {
        var messages = await ListAsync(agentId, 0, cancellationToken).ConfigureAwait(false);
        return new Bm25Index<AgentMessage>(messages, m => m.Text).Search(query, limit).Select(hit => hit.Item).ToList();
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string AgentId { get; set; } = "";

        public long Sequence { get; set; }

        public string Role { get; set; } = "";

        public string Text { get; set; } = "";

        public long Tokens { get; set; }

        public long CreatedAt { get; set; }

        public AgentMessage ToMessage() => new(Id, AgentId, Sequence, new ChatRole(Role), Text, (int)Tokens, Clock.FromUnix(CreatedAt));
    }
}
