using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// The tenant at a glance: how many contexts and agents, runs in flight, and the ledger per UTC day. Counted in the
/// database (indexed by tenant, status and day), so it costs the same at 1,000 contexts and 10,000 runs as at ten.
/// </summary>
public static class OverviewEndpoints
{
    public const int DefaultDays = 14;
    public const int MaxDays = 90;

    public static RouteGroupBuilder MapOverview(this RouteGroupBuilder api)
    {
        api.MapGet("/overview", GetAsync).WithTags("Usage").WithName("GetOverview");
        return api;
    }

    private static async Task<Results<Ok<OverviewView>, ProblemHttpResult>> GetAsync(int? days, HttpContext http, SleepTimeDatabase database, TimeProvider time, CancellationToken ct)
    {
        var span = days ?? DefaultDays;
        if (span is < 1 or > MaxDays)
        {
            return ApiProblem.BadRequest($"days must be between 1 and {MaxDays}.", "days");
        }

        var tenant = http.Caller().TenantId;
        var today = time.GetUtcNow().UtcDateTime.Date;
        var first = today.AddDays(1 - span);
        var from = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var counts = await connection.QuerySingleAsync<Counts>(
            """
            SELECT (SELECT COUNT(*) FROM contexts WHERE tenant_id = @tenant) AS Contexts,
                   (SELECT COUNT(*) FROM agents WHERE tenant_id = @tenant) AS Agents,
                   (SELECT COUNT(*) FROM runs WHERE status = 'queued' AND tenant_id = @tenant) AS Queued,
                   (SELECT COUNT(*) FROM runs WHERE status = 'running' AND tenant_id = @tenant) AS Running
            """,
            new { tenant }).ConfigureAwait(false);
        var rows = await connection.QueryAsync<DayRow>(
            """
            SELECT day AS Day, phase AS Phase, SUM(input_tokens + output_tokens) AS Tokens, COUNT(*) AS Entries, COUNT(DISTINCT run_id) AS Runs
            FROM usage_ledger WHERE tenant_id = @tenant AND day >= @from
            GROUP BY day, phase
            """,
            new { tenant, from }).ConfigureAwait(false);
        var byDay = rows.ToLookup(r => r.Day, StringComparer.Ordinal);
        var series = new List<UsageDayView>(span);
        for (var day = first; day <= today; day = day.AddDays(1))
        {
            var key = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            long sleep = 0, test = 0, queries = 0, sleepRuns = 0;
            foreach (var row in byDay[key])
            {
                if (row.Phase == nameof(ComputePhase.Sleep))
                {
                    sleep += row.Tokens;
                    sleepRuns += row.Runs;
                }
                else
                {
                    test += row.Tokens;
                    queries += row.Entries;
                }
            }

            series.Add(new UsageDayView(key, sleep, test, queries, sleepRuns));
        }

        var now = series[^1];
        return TypedResults.Ok(new OverviewView(counts.Contexts, counts.Agents, counts.Queued, counts.Running, now.SleepTokens, now.TestTokens, now.Queries, series));
    }

    private sealed class Counts
    {
        public long Contexts { get; set; }
        public long Agents { get; set; }
        public long Queued { get; set; }
        public long Running { get; set; }
    }

    private sealed class DayRow
    {
        public string Day { get; set; } = "";
        public string Phase { get; set; } = "";
        public long Tokens { get; set; }
        public long Entries { get; set; }
        public long Runs { get; set; }
    }
}
