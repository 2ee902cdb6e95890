using Microsoft.AspNetCore.Http.HttpResults;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>Sleep runs: trigger one for a context, list, get, cancel.</summary>
public static class RunsEndpoints
{
    public static RouteGroupBuilder MapRuns(this RouteGroupBuilder api)
    {
        api.MapPost("/contexts/{id}/runs", TriggerAsync).WithTags("Runs").WithName("TriggerRun");
        api.MapGet("/contexts/{id}/runs", ListForContextAsync).WithTags("Runs").WithName("ListContextRuns");
        var group = api.MapGroup("/runs").WithTags("Runs");
        group.MapGet("/", ListTenantRunsAsync).WithName("ListRuns");
        group.MapGet("/{runId}", GetAsync).WithName("GetRun");
        group.MapPost("/{runId}/cancel", CancelAsync).WithName("CancelRun");
        return group;
    }

    private static async Task<Results<Accepted<RunView>, ProblemHttpResult>> TriggerAsync(string id, HttpContext http, TenantStores stores, SleepScheduler scheduler, CodebaseWatcher codebases, CancellationToken ct)
    {
        var store = stores.Contexts(http);
        if (await store.GetSummaryAsync(id, ct) is not { } summary)
        {
            return ApiProblem.NotFound($"Context '{id}' was not found.");
        }

        await codebases.LookBeforeSleepAsync(store.TenantId, summary, ct);

        var result = await scheduler.TriggerNowAsync(store.TenantId, SleeperKind.Context, id, id, TriggerKinds.Manual, ct);
        return TypedResults.Accepted($"/api/runs/{result.Run.Id}", RunView.From(result.Run));
    }

    private static async Task<Results<Ok<List<RunView>>, ProblemHttpResult>> ListForContextAsync(string id, string? status, int? limit, HttpContext http, TenantStores stores, RunStore runs, CancellationToken ct)
    {
        if (await stores.Contexts(http).GetSummaryAsync(id, ct) is null)
        {
            return ApiProblem.NotFound($"Context '{id}' was not found.");
        }

        return await ListAsync(SleeperKind.Context, id, status, limit, http, runs, ct);
    }

    /// <summary>Every run of the tenant, contexts' and sleep-time agents' alike; <c>kind</c> narrows it to one.</summary>
    private static Task<Results<Ok<List<RunView>>, ProblemHttpResult>> ListTenantRunsAsync(string? kind, string? status, int? limit, HttpContext http, RunStore runs, CancellationToken ct) =>
        ListAsync(kind, null, status, limit, http, runs, ct);

    private static async Task<Results<Ok<List<RunView>>, ProblemHttpResult>> ListAsync(string? kind, string? sleeperId, string? status, int? limit, HttpContext http, RunStore runs, CancellationToken ct)
    {
        if (kind is not null && !SleeperKind.IsKnown(kind))
        {
            return ApiProblem.BadRequest($"Unknown kind '{kind}': use {SleeperKind.Context} or {SleeperKind.Agent}.", "kind");
        }

        if (status is not null && !RunStatus.IsKnown(status))
        {
            return ApiProblem.BadRequest($"Unknown status '{status}': use queued, running, succeeded, failed, cancelled or skipped.", "status");
        }

        if (limit is < 1 or > 1000)
        {
            return ApiProblem.BadRequest("limit must be between 1 and 1000.", "limit");
        }

        var list = await runs.ListAsync(http.Caller().TenantId, new RunFilter(kind, sleeperId, Status: status, Limit: limit ?? 50), ct);
        return TypedResults.Ok(list.Select(RunView.From).ToList());
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetAsync(string runId, HttpContext http, RunStore runs, CancellationToken ct)
    {
        var run = await runs.GetAsync(http.Caller().TenantId, runId, ct);
        return run is null ? ApiProblem.NotFound($"Run '{runId}' was not found.") : TypedResults.Ok(RunView.From(run));
    }

    private static async Task<Results<Accepted<RunView>, ProblemHttpResult>> CancelAsync(string runId, HttpContext http, RunStore runs, RunCancellations cancellations, EventHub events, TimeProvider time, CancellationToken ct)
    {
        var tenant = http.Caller().TenantId;
        var run = await runs.GetAsync(tenant, runId, ct);
        if (run is null)
        {
            return ApiProblem.NotFound($"Run '{runId}' was not found.");
        }

        if (await runs.FinishQueuedAsync(tenant, runId, RunStatus.Cancelled, "Cancelled on request.", ct))
        {
            events.Publish(ServerEvent.ForRun(ServerEvent.RunCancelled, (await runs.GetAsync(tenant, runId, ct))!, time.GetUtcNow()));
        }
        else if (await runs.RequestCancelAsync(tenant, runId, ct))
        {
            cancellations.TryCancel(runId);
        }
        else
        {
            return ApiProblem.Of(StatusCodes.Status409Conflict, "Run already finished", $"Run '{runId}' is {run.Status}; only queued or running runs can be cancelled.");
        }

        return TypedResults.Accepted($"/api/runs/{runId}", RunView.From((await runs.GetAsync(tenant, runId, ct))!));
    }
}
