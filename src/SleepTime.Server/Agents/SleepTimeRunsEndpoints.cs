using SleepTime.Agents;

namespace SleepTime.Server;

/// <summary>Sleep-time run records: status, triggers, reason or error, tokens, cost, change set.</summary>
public static class SleepTimeRunsEndpoints
{
    public static RouteGroupBuilder MapSleepTimeRuns(this RouteGroupBuilder api)
    {
        api.MapGet("/agents/{id}/sleeptime-runs", ListAsync).WithTags("Sleep-time runs").WithName("ListSleepTimeRuns");
        api.MapGet("/sleeptime-runs/{runId}", GetAsync).WithTags("Sleep-time runs").WithName("GetSleepTimeRun");
        return api;
    }

    private static async Task<IResult> ListAsync(string id, string? status, string? sleeptimeAgentId, int? limit, HttpContext http, AgentRuntime runtime, CancellationToken ct)
    {
        if (AgentApi.CheckLimit(limit) is { } bad)
        {
            return bad;
        }

        SleepTimeRunStatus? filter = null;
        if (status is not null)
        {
            if (!Enum.TryParse<SleepTimeRunStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
            {
                return Problems.BadRequest($"status must be one of {string.Join(", ", Enum.GetNames<SleepTimeRunStatus>().Select(n => n.ToLowerInvariant()))}.", "status");
            }

            filter = parsed;
        }

        var tenant = await runtime.RuntimeAsync(http);
        if (await tenant.Database.Agents.GetAgentAsync(id, ct) is null)
        {
            return AgentApi.AgentNotFound(id);
        }

        var runs = await tenant.Database.Runs.ListAsync(sleeptimeAgentId, filter, id, limit ?? 100, ct);
        return TypedResults.Ok(runs.Select(SleepTimeRunView.From).ToList());
    }

    private static async Task<IResult> GetAsync(string runId, HttpContext http, AgentRuntime runtime, CancellationToken ct)
    {
        var tenant = await runtime.RuntimeAsync(http);
        var run = await tenant.Database.Runs.GetAsync(runId, ct);
        return run is null ? Problems.NotFound($"Sleep-time run '{runId}' was not found.") : TypedResults.Ok(SleepTimeRunView.From(run));
    }
}
