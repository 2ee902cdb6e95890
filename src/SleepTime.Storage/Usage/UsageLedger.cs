using System.Data.Common;
using Dapper;

namespace SleepTime.Storage;

/// <summary>
/// Every model call's tokens, by tenant, memory (a context or an agent), sleeper, phase and UTC day: the one source of
/// usage reports and budgets, for contexts' sleeps and queries and for agents' sleeps and turns alike.
/// </summary>
public sealed class UsageLedger(SleepTimeDatabase database, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    internal static Task RecordAsync(DbConnection connection, DbTransaction? transaction, string tenantId, string memoryId, string? sleeperId, ComputePhase phase, string? arm, string? runId, string? queryId, TokenUsage usage, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO usage_ledger (tenant_id, memory_id, sleeper_id, phase, arm, run_id, query_id, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, estimated, day, created_at)
            VALUES (@tenantId, @memoryId, @sleeperId, @phase, @arm, @runId, @queryId, @input, @output, @cached, @reasoning, @estimated, @day, @now)
            """,
            new
            {
                tenantId, memoryId, sleeperId, phase = phase.ToString(), arm, runId, queryId, input = usage.InputTokens, output = usage.OutputTokens,
                cached = usage.CachedInputTokens, reasoning = usage.ReasoningTokens, estimated = usage.Estimated ? 1L : 0L, day = Clock.Day(now), now = Clock.ToUnix(now),
            },
            transaction);

    /// <summary>Books one primary-agent turn (test phase, arm <c>agent</c>) on the agent's memory.</summary>
    public async Task RecordTurnAsync(string tenantId, string agentId, TokenUsage usage, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await RecordAsync(connection, null, tenantId, agentId, null, ComputePhase.Test, "agent", null, null, usage, time.GetUtcNow()).ConfigureAwait(false);
    }

    /// <summary>Sleep tokens spent today (UTC) by the tenant, or on one of its memories, or by one sleeper.</summary>
    public async Task<long> SleepTokensTodayAsync(string tenantId, string? memoryId = null, string? sleeperId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long?>(
            """
            SELECT SUM(input_tokens + output_tokens) FROM usage_ledger
            WHERE tenant_id = @tenantId AND day = @day AND phase = 'Sleep' AND (@memoryId IS NULL OR memory_id = @memoryId) AND (@sleeperId IS NULL OR sleeper_id = @sleeperId)
            """,
            new { tenantId, memoryId, sleeperId, day = Clock.Day(time.GetUtcNow()) }).ConfigureAwait(false) ?? 0;
    }

    /// <summary>Totals of the tenant, or of one memory (a context or an agent).</summary>
    public async Task<UsageTotals> TotalsAsync(string tenantId, string? memoryId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            """
            SELECT phase AS Phase, arm AS Arm, SUM(input_tokens) AS InputTokens, SUM(output_tokens) AS OutputTokens,
                   SUM(cached_input_tokens) AS CachedInputTokens, SUM(reasoning_tokens) AS ReasoningTokens, MAX(estimated) AS Estimated, COUNT(*) AS Entries,
                   COUNT(DISTINCT run_id) AS Runs
            FROM usage_ledger WHERE tenant_id = @tenantId AND (@memoryId IS NULL OR memory_id = @memoryId)
            GROUP BY phase, arm
            """,
            new { tenantId, memoryId }).ConfigureAwait(false);
        TokenUsage sleep = default, test = default, baseline = default;
        long queries = 0, baselineQueries = 0, runs = 0;
        foreach (var row in rows)
        {
            var usage = new TokenUsage(row.InputTokens, row.OutputTokens, row.ReasoningTokens, row.CachedInputTokens, row.Estimated > 0);
            if (row.Phase == nameof(ComputePhase.Sleep))
            {
                sleep += usage;
                runs += row.Runs;
            }
            else if (row.Arm == nameof(AnswerArm.Baseline))
            {
                baseline += usage;
                baselineQueries += row.Entries;
            }
            else
            {
                test += usage;
                queries += row.Entries;
            }
        }

        return new UsageTotals(sleep, test, queries, baseline, baselineQueries, runs);
    }

    private sealed class Row
    {
        public string Phase { get; set; } = "";
        public string? Arm { get; set; }
        public long InputTokens { get; set; }
        public long OutputTokens { get; set; }
        public long CachedInputTokens { get; set; }
        public long ReasoningTokens { get; set; }
        public long Estimated { get; set; }
        public long Entries { get; set; }
        public long Runs { get; set; }
    }
}
