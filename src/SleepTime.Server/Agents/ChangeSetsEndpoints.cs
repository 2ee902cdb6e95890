using Microsoft.AspNetCore.Http.HttpResults;
using SleepTime.Agents;

namespace SleepTime.Server;

/// <summary>Change sets: what each sleep-time run changed, per block with diffs; review (approve/reject) and revert.</summary>
public static class ChangeSetsEndpoints
{
    public static RouteGroupBuilder MapChangeSets(this RouteGroupBuilder api)
    {
        api.MapGet("/agents/{id}/changes", ListAsync).WithTags("Change sets").WithName("ListChangeSets");
        var group = api.MapGroup("/changes").WithTags("Change sets");
        group.MapGet("/{changeSetId}", GetAsync).WithName("GetChangeSet");
        group.MapPost("/{changeSetId}/approve", ApproveAsync).WithName("ApproveChangeSet");
        group.MapPost("/{changeSetId}/reject", RejectAsync).WithName("RejectChangeSet");
        group.MapPost("/{changeSetId}/revert", RevertAsync).WithName("RevertChangeSet");
        return group;
    }

    private static async Task<Results<Ok<List<ChangeSetView>>, ProblemHttpResult>> ListAsync(string id, string? status, int? limit, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        if (AgentApi.CheckLimit(limit) is { } bad)
        {
            return bad;
        }

        ChangeSetStatus? filter = null;
        if (status is not null)
        {
            if (!Enum.TryParse<ChangeSetStatus>(status.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var parsed) || int.TryParse(status, out _))
            {
                return ApiProblem.BadRequest("status must be one of pending, committed, needs_review, rejected, reverted.", "status");
            }

            filter = parsed;
        }

        var tenant = stores.Agents(http);
        if (await tenant.Agents.GetAgentAsync(id, ct) is null)
        {
            return AgentApi.NoSuchAgent(id);
        }

        var list = await tenant.ChangeSets.ListAsync(id, filter, limit ?? 100, ct);
        return TypedResults.Ok(list.Select(ChangeSetView.From).ToList());
    }

    private static async Task<Results<Ok<ChangeSetView>, ProblemHttpResult>> GetAsync(string changeSetId, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        var changeSet = await tenant.ChangeSets.GetAsync(changeSetId, ct);
        return changeSet is null ? ApiProblem.NotFound($"Change set '{changeSetId}' was not found.") : TypedResults.Ok(ChangeSetView.From(changeSet));
    }

    private static async Task<Ok<ChangeSetView>> ApproveAsync(string changeSetId, ReviewRequest? request, HttpContext http, TenantStores stores, EventHub events, TimeProvider time, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        var changeSet = await new ChangeSetCommitter(tenant.Memory, time).ApproveAsync(changeSetId, AgentApi.Author(http), request?.BlockId, request?.OverwriteConflicts ?? false, ct);
        await AgentEvents.PublishChangeSetAsync(events, tenant, changeSet, time.GetUtcNow());
        return TypedResults.Ok(ChangeSetView.From(changeSet));
    }

    private static async Task<Ok<ChangeSetView>> RejectAsync(string changeSetId, ReviewRequest? request, HttpContext http, TenantStores stores, EventHub events, TimeProvider time, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        var changeSet = await new ChangeSetCommitter(tenant.Memory, time).RejectAsync(changeSetId, AgentApi.Author(http), request?.BlockId, ct);
        await AgentEvents.PublishChangeSetAsync(events, tenant, changeSet, time.GetUtcNow());
        return TypedResults.Ok(ChangeSetView.From(changeSet));
    }

    private static async Task<Results<Ok<RevertView>, Conflict<RevertView>>> RevertAsync(string changeSetId, HttpContext http, TenantStores stores, EventHub events, TimeProvider time, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        var result = await new ChangeSetCommitter(tenant.Memory, time).RevertAsync(changeSetId, AgentApi.Author(http), ct);
        await AgentEvents.PublishChangeSetAsync(events, tenant, result.ChangeSet, time.GetUtcNow());
        var view = new RevertView(result.Reverted, ChangeSetView.From(result.ChangeSet), result.Conflicts.Select(BlockChangeView.From).ToList());
        return result.Reverted ? TypedResults.Ok(view) : TypedResults.Conflict(view);
    }
}
