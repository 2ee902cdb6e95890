using Dapper;

namespace SleepTime.Storage;

/// <summary>Answered queries of one tenant; recording one also books its tokens in the usage ledger.</summary>
public sealed class QueryStore(SleepTimeDatabase database, TimeProvider? timeProvider = null)
{
    private const string Columns = """
        id AS Id, context_id AS ContextId, question AS Question, answer AS Answer, final_answer AS FinalAnswer, arm AS Arm, verbosity AS Verbosity,
        context_version AS ContextVersion, learned_version AS LearnedVersion, model AS Model, input_tokens AS InputTokens,
        output_tokens AS OutputTokens, cached_input_tokens AS CachedInputTokens, reasoning_tokens AS ReasoningTokens, estimated AS Estimated, latency_ms AS LatencyMs, created_at AS CreatedAt
        """;

    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public async Task<QueryRecord> RecordAsync(string tenantId, Answer answer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var now = time.GetUtcNow();
        var record = new QueryRecord(
            "q_" + Guid.NewGuid().ToString("N"), answer.ContextId, answer.Question, answer.Text, answer.FinalAnswer, answer.Arm.ToString(),
            answer.Budget.Verbosity, answer.ContextVersion, answer.LearnedContextVersion, answer.Model, answer.Usage,
            answer.Latency.TotalMilliseconds, now);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO queries (id, tenant_id, context_id, question, answer, final_answer, arm, verbosity, context_version, learned_version, model, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, estimated, latency_ms, created_at)
            VALUES (@Id, @tenantId, @ContextId, @Question, @Answer, @FinalAnswer, @Arm, @verbosity, @ContextVersion, @LearnedVersion, @Model, @input, @output, @cached, @reasoning, @estimated, @LatencyMilliseconds, @now)
            """,
            new
            {
                record.Id, tenantId, record.ContextId, record.Question, record.Answer, record.FinalAnswer, record.Arm, verbosity = (long)record.Verbosity,
                record.ContextVersion, record.LearnedVersion, record.Model, input = record.Usage.InputTokens, output = record.Usage.OutputTokens,
                cached = record.Usage.CachedInputTokens, reasoning = record.Usage.ReasoningTokens, estimated = record.Usage.Estimated ? 1L : 0L,
                record.LatencyMilliseconds, now = Clock.ToUnix(now),
            },
            transaction).ConfigureAwait(false);
        await UsageLedger.RecordAsync(connection, transaction, tenantId, record.ContextId, null, ComputePhase.Test, record.Arm, null, record.Id, record.Usage, now).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return record;
    }

    public async Task<QueryRecord?> GetAsync(string tenantId, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM queries WHERE tenant_id = @tenantId AND id = @id", new { tenantId, id }).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<QueryRecord>> ListAsync(string tenantId, string contextId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            $"SELECT {Columns} FROM queries WHERE tenant_id = @tenantId AND context_id = @contextId ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { tenantId, contextId, limit = (long)Math.Clamp(limit, 1, 1000) }).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string ContextId { get; set; } = "";
        public string? Question { get; set; }
        public string Answer { get; set; } = "";
        public string? FinalAnswer { get; set; }
        public string Arm { get; set; } = "";
        public long Verbosity { get; set; }
        public long ContextVersion { get; set; }
        public long? LearnedVersion { get; set; }
        public string? Model { get; set; }
        public long InputTokens { get; set; }
        public long OutputTokens { get; set; }
        public long CachedInputTokens { get; set; }
        public long ReasoningTokens { get; set; }
        public long Estimated { get; set; }
        public double LatencyMs { get; set; }
        public long CreatedAt { get; set; }

        public QueryRecord ToRecord() => new(
            Id, ContextId, Question, Answer, FinalAnswer, Arm, (int)Verbosity, ContextVersion, LearnedVersion, Model,
            new TokenUsage(InputTokens, OutputTokens, ReasoningTokens, CachedInputTokens, Estimated > 0), LatencyMs, Clock.FromUnix(CreatedAt));
    }
}
