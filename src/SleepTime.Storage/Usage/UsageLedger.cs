using System.Data.Common;
using Dapper;

namespace SleepTime.Storage;

/// <summary>Every model call's tokens, by tenant, context, phase and UTC day: the source of usage reports and budgets.</summary>
public sealed class UsageLedger(SleepTimeDatabase database, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    internal static Task RecordAsync(DbConnection connection, DbTransaction transaction, string tenantId, string contextId, ComputePhase phase, string? arm, string? runId, string? queryId, TokenUsage usage, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO usage_ledger (tenant_id, context_id, phase, arm, run_id, query_id, input_tokens, output_tokens, day, created_at)
            VALUES (@tenantId, @contextId, @phase, @arm, @runId, @queryId, @input, @output, @day, @now)
            """,
            new { tenantId, contextId, phase = phase.ToString(), arm, runId, queryId, input = usage.InputTokens, output = usage.OutputTokens, day = Clock.Day(now), now = Clock.ToUnix(now) },
            transaction);

    /// <summary>Sleep tokens spent today (UTC) by the tenant, or by one of its contexts.</summary>
    public async Task<long> SleepTokensTodayAsync(string tenantId, string? contextId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long?>(
            "SELECT SUM(input_tokens + output_tokens) FROM usage_ledger WHERE tenant_id = @tenantId AND day = @day AND phase = 'Sleep' AND (@contextId IS NULL OR context_id = @contextId)",
            new { tenantId, contextId, day = Clock.Day(time.GetUtcNow()) }).ConfigureAwait(false) ?? 0;
    }

    public async Task<UsageTotals> TotalsAsync(string tenantId, string? contextId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            """
            SELECT phase AS Phase, arm AS Arm, SUM(input_tokens) AS InputTokens, SUM(output_tokens) AS OutputTokens, COUNT(*) AS Entries,
                   COUNT(DISTINCT run_id) AS Runs
            FROM usage_ledger WHERE tenant_id = @tenantId AND (@contextId IS NULL OR context_id = @contextId)
            GROUP BY phase, arm
            """,
            new { tenantId, contextId }).ConfigureAwait(false);
        TokenUsage sleep = default, test = default, baseline = default;
        long queries = 0, baselineQueries = 0, runs = 0;
        foreach (var row in rows)
        {
            var usage = new TokenUsage(row.InputTokens, row.OutputTokens);
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
        public long Entries { get; set; }
        public long Runs { get; set; }
    }
}
