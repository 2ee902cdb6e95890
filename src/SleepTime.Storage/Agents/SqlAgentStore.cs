using System.Data.Common;
using Dapper;

namespace SleepTime.Storage;

/// <summary>
/// A tenant's primary agents (with their attached blocks, in order), their sleep-time agents and each sleep-time
/// agent's watermark, which moves only by compare-and-swap on both sequence numbers.
/// </summary>
public sealed class SqlAgentStore(SleepTimeDatabase database, string tenantId, TimeProvider? timeProvider = null) : IAgentStore
{
    private const string SleeperColumns = """
        id AS Id, primary_agent_id AS PrimaryAgentId, name AS Name, require_review AS RequireReview, cost AS Cost,
        model AS Model, schedule AS Schedule, created_at AS CreatedAt
        """;

    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public string TenantId => tenantId;

    public async Task<Agent> CreateAgentAsync(string name, string instructions, IReadOnlyList<string> blockIds, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new SleepTimeValidationException("name", "An agent needs a name.");
        }

        var ids = blockIds.Distinct(StringComparer.Ordinal).ToList();
        var agent = new Agent(Ids.New("agent"), name, instructions ?? string.Empty, ids, time.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "INSERT INTO agents (tenant_id, id, name, instructions, created_at) VALUES (@tenantId, @Id, @Name, @Instructions, @now)",
            new { tenantId, agent.Id, agent.Name, agent.Instructions, now = Clock.ToUnix(agent.CreatedAt) }, transaction).ConfigureAwait(false);
        for (var i = 0; i < ids.Count; i++)
        {
            await RequireBlockAsync(connection, transaction, ids[i]).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "INSERT INTO agent_block_links (tenant_id, agent_id, block_id, position) VALUES (@tenantId, @agentId, @blockId, @position)",
                new { tenantId, agentId = agent.Id, blockId = ids[i], position = (long)i }, transaction).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return agent with { CreatedAt = Clock.FromUnix(Clock.ToUnix(agent.CreatedAt)) };
    }

    public async Task<Agent?> GetAgentAsync(string agentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetAgentAsync(connection, null, agentId).ConfigureAwait(false);
    }

    /// <summary>The tenant's primary agents, oldest first.</summary>
    public async Task<IReadOnlyList<Agent>> ListAgentsAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<AgentRow>(
            "SELECT id AS Id, name AS Name, instructions AS Instructions, created_at AS CreatedAt FROM agents WHERE tenant_id = @tenantId ORDER BY created_at, id LIMIT @limit",
            new { tenantId, limit = (long)Math.Clamp(limit, 1, 1000) }).ConfigureAwait(false)).ToList();
        var links = (await connection.QueryAsync<(string AgentId, string BlockId)>(
            "SELECT agent_id, block_id FROM agent_block_links WHERE tenant_id = @tenantId ORDER BY agent_id, position", new { tenantId }).ConfigureAwait(false))
            .ToLookup(l => l.AgentId, l => l.BlockId, StringComparer.Ordinal);
        return rows.Select(r => r.ToAgent(links[r.Id].ToList())).ToList();
    }

    /// <summary>Deletes a primary agent with its sleep-time agents, conversation, documents and archival passages; blocks stay (they may be shared).</summary>
    public async Task<bool> DeleteAgentAsync(string agentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var args = new { tenantId, agentId };
        var deleted = await connection.ExecuteAsync("DELETE FROM agents WHERE tenant_id = @tenantId AND id = @agentId", args, transaction).ConfigureAwait(false);
        if (deleted == 0)
        {
            return false;
        }

        foreach (var sleeperId in await connection.QueryAsync<string>(
            "SELECT id FROM sleeptime_agents WHERE tenant_id = @tenantId AND primary_agent_id = @agentId", args, transaction).ConfigureAwait(false))
        {
            await RunStore.CancelLiveAsync(connection, transaction, tenantId, SleeperKind.Agent, sleeperId, "The agent was deleted.", time.GetUtcNow()).ConfigureAwait(false);
        }

        foreach (var sql in new[]
        {
            "DELETE FROM agent_block_links WHERE tenant_id = @tenantId AND agent_id = @agentId",
            "DELETE FROM sleeptime_agents WHERE tenant_id = @tenantId AND primary_agent_id = @agentId",
            "DELETE FROM agent_messages WHERE tenant_id = @tenantId AND agent_id = @agentId",
            "DELETE FROM agent_documents WHERE tenant_id = @tenantId AND agent_id = @agentId",
            "DELETE FROM archival_passages WHERE tenant_id = @tenantId AND agent_id = @agentId",
        })
        {
            await connection.ExecuteAsync(sql, args, transaction).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<Agent> AttachBlockAsync(string agentId, string blockId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var agent = await GetAgentAsync(connection, transaction, agentId).ConfigureAwait(false) ?? throw new AgentNotFoundException(agentId);
        await RequireBlockAsync(connection, transaction, blockId).ConfigureAwait(false);
        if (agent.BlockIds.Contains(blockId, StringComparer.Ordinal))
        {
            return agent;
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO agent_block_links (tenant_id, agent_id, block_id, position)
            SELECT @tenantId, @agentId, @blockId, COALESCE(MAX(position), -1) + 1 FROM agent_block_links WHERE tenant_id = @tenantId AND agent_id = @agentId
            """,
            new { tenantId, agentId, blockId }, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return agent with { BlockIds = [.. agent.BlockIds, blockId] };
    }

    /// <summary>Detaches a block from an agent; the block itself stays.</summary>
    /// <exception cref="AgentNotFoundException">No agent has that id.</exception>
    public async Task<Agent> DetachBlockAsync(string agentId, string blockId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "DELETE FROM agent_block_links WHERE tenant_id = @tenantId AND agent_id = @agentId AND block_id = @blockId", new { tenantId, agentId, blockId }).ConfigureAwait(false);
        return await GetAgentAsync(connection, null, agentId).ConfigureAwait(false) ?? throw new AgentNotFoundException(agentId);
    }

    public Task<SleepTimeAgent> CreateSleepTimeAgentAsync(string primaryAgentId, string name, SchedulePolicy? schedule = null, bool requireReview = false, CostModel? cost = null, CancellationToken cancellationToken = default) =>
        CreateSleepTimeAgentAsync(primaryAgentId, name, schedule, requireReview, cost, model: null, cancellationToken);

    /// <param name="model">The agent's own model endpoint; null: the server's sleep model.</param>
    public async Task<SleepTimeAgent> CreateSleepTimeAgentAsync(string primaryAgentId, string name, SchedulePolicy? schedule, bool requireReview, CostModel? cost, SleepTimeModelSettings? model, CancellationToken cancellationToken = default)
    {
        schedule ??= SchedulePolicy.AgentDefault;
        schedule.Validate();
        var now = time.GetUtcNow();
        var agent = new SleepTimeAgent(Ids.New("sleeper"), primaryAgentId, string.IsNullOrWhiteSpace(name) ? "sleep-time" : name, schedule, requireReview, cost, Clock.FromUnix(Clock.ToUnix(now)));
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        _ = await GetAgentAsync(connection, transaction, primaryAgentId).ConfigureAwait(false) ?? throw new AgentNotFoundException(primaryAgentId);
        await connection.ExecuteAsync(
            """
            INSERT INTO sleeptime_agents (tenant_id, id, primary_agent_id, name, require_review, cost, model, schedule, created_at)
            VALUES (@tenantId, @Id, @PrimaryAgentId, @Name, @review, @cost, @model, @schedule, @now)
            """,
            new
            {
                tenantId,
                agent.Id,
                agent.PrimaryAgentId,
                agent.Name,
                review = requireReview ? 1L : 0L,
                cost = cost is null ? null : AgentJson.Write(cost),
                model = model is null ? null : AgentJson.Write(model),
                schedule = schedule.ToJson(),
                now = Clock.ToUnix(now),
            },
            transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return agent;
    }

    public async Task<SleepTimeAgent?> GetSleepTimeAgentAsync(string sleepTimeAgentId, CancellationToken cancellationToken = default) =>
        (await QuerySleepersAsync("id = @id", new { tenantId, id = sleepTimeAgentId }, cancellationToken).ConfigureAwait(false)).FirstOrDefault()?.ToAgent();

    public async Task<IReadOnlyList<SleepTimeAgent>> ListSleepTimeAgentsAsync(string primaryAgentId, CancellationToken cancellationToken = default) =>
        (await QuerySleepersAsync("primary_agent_id = @id", new { tenantId, id = primaryAgentId }, cancellationToken).ConfigureAwait(false)).Select(r => r.ToAgent()).ToList();

    /// <summary>Every sleep-time agent of the tenant with its own model settings (null: the server's sleep model).</summary>
    public async Task<IReadOnlyList<(SleepTimeAgent Agent, SleepTimeModelSettings? Model)>> ListAllSleepTimeAgentsAsync(CancellationToken cancellationToken = default) =>
        (await QuerySleepersAsync("1 = 1", new { tenantId }, cancellationToken).ConfigureAwait(false)).Select(r => (r.ToAgent(), r.ToModel())).ToList();

    public async Task<SleepTimeModelSettings?> GetModelAsync(string sleepTimeAgentId, CancellationToken cancellationToken = default) =>
        (await QuerySleepersAsync("id = @id", new { tenantId, id = sleepTimeAgentId }, cancellationToken).ConfigureAwait(false)).FirstOrDefault()?.ToModel();

    public async Task<SleepTimeWatermark> GetWatermarkAsync(string sleepTimeAgentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var mark = await connection.QuerySingleOrDefaultAsync<WatermarkRow>(
            "SELECT watermark_messages AS Messages, watermark_documents AS Documents FROM sleeptime_agents WHERE tenant_id = @tenantId AND id = @sleepTimeAgentId",
            new { tenantId, sleepTimeAgentId }).ConfigureAwait(false) ?? throw new AgentNotFoundException(sleepTimeAgentId);
        return new SleepTimeWatermark(mark.Messages, mark.Documents);
    }

    /// <summary>What the sleeper has not read yet: the primary agent's messages and documents after its watermark.</summary>
    public async Task<UnreadSources> UnreadAsync(string sleepTimeAgentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var args = new { tenantId, sleepTimeAgentId };
        var messages = await connection.QuerySingleAsync<UnreadRow>(
            """
            SELECT COUNT(*) AS Entries, COALESCE(SUM(CASE WHEN m.role = 'user' THEN 1 ELSE 0 END), 0) AS UserTurns,
                   COALESCE(SUM(m.tokens), 0) AS Tokens, MIN(m.created_at) AS OldestAt
            FROM sleeptime_agents s JOIN agent_messages m ON m.tenant_id = s.tenant_id AND m.agent_id = s.primary_agent_id AND m.sequence > s.watermark_messages
            WHERE s.tenant_id = @tenantId AND s.id = @sleepTimeAgentId
            """,
            args).ConfigureAwait(false);
        var documents = await connection.ExecuteScalarAsync<long>(
            """
            SELECT COUNT(*) FROM sleeptime_agents s JOIN agent_documents d ON d.tenant_id = s.tenant_id AND d.agent_id = s.primary_agent_id AND d.sequence > s.watermark_documents
            WHERE s.tenant_id = @tenantId AND s.id = @sleepTimeAgentId
            """,
            args).ConfigureAwait(false);
        return new UnreadSources((int)messages.Entries, (int)messages.UserTurns, messages.Tokens, (int)documents, Clock.FromUnix(messages.OldestAt));
    }

    private async Task<IReadOnlyList<SleeperRow>> QuerySleepersAsync(string where, object args, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SleeperRow>(
            $"SELECT {SleeperColumns} FROM sleeptime_agents WHERE tenant_id = @tenantId AND {where} ORDER BY created_at, id", args).ConfigureAwait(false);
        return rows.ToList();
    }

    private async Task<Agent?> GetAgentAsync(DbConnection connection, DbTransaction? transaction, string agentId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<AgentRow>(
            "SELECT id AS Id, name AS Name, instructions AS Instructions, created_at AS CreatedAt FROM agents WHERE tenant_id = @tenantId AND id = @agentId",
            new { tenantId, agentId }, transaction).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var blockIds = await connection.QueryAsync<string>(
            "SELECT block_id FROM agent_block_links WHERE tenant_id = @tenantId AND agent_id = @agentId ORDER BY position", new { tenantId, agentId }, transaction).ConfigureAwait(false);
        return row.ToAgent(blockIds.ToList());
    }

    private async Task RequireBlockAsync(DbConnection connection, DbTransaction transaction, string blockId)
    {
        var exists = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM agent_blocks WHERE tenant_id = @tenantId AND id = @blockId", new { tenantId, blockId }, transaction).ConfigureAwait(false);
        if (exists == 0)
        {
            throw new BlockNotFoundException(blockId);
        }
    }

    /// <summary>What a sleeper has not read, as one aggregate row (also a context's, in <see cref="TenantContextStore"/>).</summary>
    internal sealed class UnreadRow
    {
        public long Entries { get; set; }

        public long UserTurns { get; set; }

        public long Tokens { get; set; }

        public long? OldestAt { get; set; }
    }

    private sealed class WatermarkRow
    {
        public long Messages { get; set; }

        public long Documents { get; set; }
    }

    private sealed class AgentRow
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string Instructions { get; set; } = "";

        public long CreatedAt { get; set; }

        public Agent ToAgent(IReadOnlyList<string> blockIds) => new(Id, Name, Instructions, blockIds, Clock.FromUnix(CreatedAt));
    }

    private sealed class SleeperRow
    {
        public string Id { get; set; } = "";

        public string PrimaryAgentId { get; set; } = "";

        public string Name { get; set; } = "";

        public long RequireReview { get; set; }

        public string? Cost { get; set; }

        public string? Model { get; set; }

        public string? Schedule { get; set; }

        public long CreatedAt { get; set; }

        public SleepTimeAgent ToAgent() => new(
            Id,
            PrimaryAgentId,
            Name,
            SchedulePolicy.FromJson(Schedule, SchedulePolicy.AgentDefault),
            RequireReview != 0,
            Cost is null ? null : AgentJson.Read<CostModel>(Cost),
            Clock.FromUnix(CreatedAt));

        public SleepTimeModelSettings? ToModel() => Model is null ? null : AgentJson.Read<SleepTimeModelSettings>(Model);
    }
}
