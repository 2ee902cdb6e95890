using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>Token usage and amortized cost per query, per context and per tenant.</summary>
public static class UsageEndpoints
{
    public static RouteGroupBuilder MapUsage(this RouteGroupBuilder api)
    {
        api.MapGet("/usage", TenantAsync).WithTags("Usage").WithName("GetTenantUsage");
        api.MapGet("/contexts/{id}/usage", ContextAsync).WithTags("Usage").WithName("GetContextUsage");
        api.MapGet("/agents/{id}/usage", AgentAsync).WithTags("Usage").WithName("GetAgentUsage");
        return api;
    }

    private static async Task<Ok<UsageReport>> TenantAsync(HttpContext http, UsageLedger ledger, IOptions<ServerOptions> options, CancellationToken ct)
    {
        var tenant = http.Caller().TenantId;
        return TypedResults.Ok(Report("tenant", await ledger.TotalsAsync(tenant, null, ct), await ledger.SleepTokensTodayAsync(tenant, cancellationToken: ct), options.Value.CostRatio));
    }

    private static async Task<Results<Ok<UsageReport>, ProblemHttpResult>> ContextAsync(string id, HttpContext http, TenantStores stores, UsageLedger ledger, IOptions<ServerOptions> options, CancellationToken ct)
    {
        var tenant = http.Caller().TenantId;
        if (await stores.Contexts(http).GetSummaryAsync(id, ct) is null)
        {
            return ApiProblem.NotFound($"Context '{id}' was not found.");
        }

        return TypedResults.Ok(Report($"context:{id}", await ledger.TotalsAsync(tenant, id, ct), await ledger.SleepTokensTodayAsync(tenant, id, cancellationToken: ct), options.Value.CostRatio));
    }

    /// <summary>A primary agent's memory: its sleep-time agents' runs and its own turns (memory_id = the agent id).</summary>
    private static async Task<Results<Ok<UsageReport>, ProblemHttpResult>> AgentAsync(string id, HttpContext http, TenantStores stores, UsageLedger ledger, IOptions<ServerOptions> options, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        if (await tenant.Agents.GetAgentAsync(id, ct) is null)
        {
            return ApiProblem.NotFound($"Agent '{id}' was not found.");
        }

        return TypedResults.Ok(Report($"agent:{id}", await ledger.TotalsAsync(tenant.TenantId, id, ct), await ledger.SleepTokensTodayAsync(tenant.TenantId, id, cancellationToken: ct), options.Value.CostRatio));
    }

    internal static UsageReport Report(string scope, UsageTotals totals, long today, double ratio)
    {
        var cost = CostModel.FromRatio(ratio);
        double? amortized = null, baseline = null, savings = null;
        if (totals.Queries > 0)
        {
            amortized = (double)cost.AmortizedCostPerQueryFromTotals(totals.Sleep, totals.Test, totals.Queries);
        }

        if (totals.BaselineQueries > 0)
        {
            baseline = (double)cost.Price(ComputePhase.Test, totals.Baseline) / totals.BaselineQueries;
        }

        if (amortized is not null && baseline is not null)
        {
            savings = baseline - amortized;
        }

        return new UsageReport(scope, UsageView.From(totals.Sleep), UsageView.From(totals.Test), totals.Queries, totals.SleepRuns, totals.BaselineQueries,
            UsageView.From(totals.Baseline), ratio, amortized, baseline, savings, today);
    }
}
