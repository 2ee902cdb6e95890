using Microsoft.AspNetCore.Http.HttpResults;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// A primary agent's sleep-time runs: a view over the one run store (the same runs <c>/api/runs</c> lists, with
/// <c>kind: agent</c>): status, trigger, reason or error, tool errors, tokens, cost, change set, watermark.
/// </summary>
public static class SleepTimeRunsEndpoints
{
    public static RouteGroupBuilder MapSleepTimeRuns(this RouteGroupBuilder api)
    {
        api.MapGet("/agents/{id}/sleeptime-runs", ListAsync).WithTags("Sleep-time runs").WithName("ListSleepTimeRuns");
        api.MapGet("/sleeptime-runs/{runId}", GetAsync).WithTags("Sleep-time runs").WithName("GetSleepTimeRun");
        return api;
    }

    private static async Task<Results<Ok<List<RunView>>, ProblemHttpResult>> ListAsync(string id, string? status, string? sleeptimeAgentId, int? limit, HttpContext http, TenantStores stores, RunStore runs, CancellationToken ct)
    {
        if (AgentApi.CheckLimit(limit) is { } bad)
        {
            return bad;
        }

        if (status is not null && !RunStatus.IsKnown(status))
        {
            return ApiProblem.BadRequest($"status must be one of {string.Join(", ", RunStatus.All)}.", "status");
        }

        var tenant = stores.Agents(http);
        if (await tenant.Agents.GetAgentAsync(id, ct) is null)
        {
            return AgentApi.NoSuchAgent(id);
        }

        var list = await runs.ListAsync(tenant.TenantId, new RunFilter(SleeperKind.Agent, sleeptimeAgentId, id, status, limit ?? 100), ct);
        return TypedResults.Ok(list.Select(RunView.From).ToList());
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetAsync(string runId, HttpContext http, RunStore runs, CancellationToken ct)
    {
        var run = await runs.GetAsync(http.Caller().TenantId, runId, ct);
        return run is null || run.Kind != SleeperKind.Agent ? ApiProblem.NotFound($"Sleep-time run '{runId}' was not found.") : TypedResults.Ok(RunView.From(run));
    }
}
