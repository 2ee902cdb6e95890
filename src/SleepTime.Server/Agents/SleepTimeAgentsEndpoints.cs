using Microsoft.AspNetCore.Http.HttpResults;
using SleepTime.Agents;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>Sleep-time agents attached to a primary agent: own model, triggers, daily budget, review gate; manual runs.</summary>
public static class SleepTimeAgentsEndpoints
{
    public static RouteGroupBuilder MapSleepTimeAgents(this RouteGroupBuilder api)
    {
        api.MapPost("/agents/{id}/sleeptime-agents", CreateAsync).WithTags("Sleep-time agents").WithName("CreateSleepTimeAgent");
        api.MapGet("/agents/{id}/sleeptime-agents", ListAsync).WithTags("Sleep-time agents").WithName("ListSleepTimeAgents");
        api.MapGet("/sleeptime-agents/{id}", GetAsync).WithTags("Sleep-time agents").WithName("GetSleepTimeAgent");
        api.MapPost("/sleeptime-agents/{id}/runs", TriggerAsync).WithTags("Sleep-time runs").WithName("TriggerSleepTimeRun");
        return api;
    }

    private static async Task<Results<Created<SleepTimeAgentView>, ProblemHttpResult>> CreateAsync(string id, CreateSleepTimeAgentRequest request, HttpContext http, TenantStores stores, SleepTimeModelResolver models, SleepScheduler scheduler, CancellationToken ct)
    {
        if (request.Model is not null && !http.Caller().Key.IsAdmin)
        {
            // An own model is called with the server's credentials (the key variable), at any URL: only the operator may choose one.
            return ApiProblem.Forbidden(
                "Only an admin key may give a sleep-time agent its own model (model: provider, model, endpoint, api_key_environment_variable). "
                + "Leave out \"model\" to use the server's \"sleep\" model.");
        }

        if (request.IdleAfterSeconds is { } idle && (double.IsNaN(idle) || idle <= 0 || idle > TimeSpan.FromDays(30).TotalSeconds))
        {
            return ApiProblem.BadRequest("idle_after_seconds must be positive and at most 30 days.", "idle_after_seconds");
        }

        if (request.EveryTurns is < 0)
        {
            return ApiProblem.BadRequest("every_turns must be 0 (off) or more.", "every_turns");
        }

        var schedule = (request.Schedule ?? SchedulePolicy.AgentDefault) with
        {
            EveryTurns = request.EveryTurns ?? request.Schedule?.EveryTurns ?? SchedulePolicy.AgentDefault.EveryTurns,
            IdleSeconds = request.IdleAfterSeconds ?? request.Schedule?.IdleSeconds ?? 0,
            TranscriptTokens = request.TranscriptTokens ?? request.Schedule?.TranscriptTokens ?? 0,
            DailyTokenCap = request.DailyTokenBudget ?? request.Schedule?.DailyTokenCap,
        };
        CronRules.Validate(schedule);
        SleepTimeModelSettings? model = null;
        if (request.Model is { } m)
        {
            model = new SleepTimeModelSettings(m.Model ?? string.Empty, m.Provider, m.Endpoint, m.ApiKeyEnvironmentVariable);
            _ = models.ToEndpoint(model); // 400 on unusable settings or a key variable that is not allowed, before anything is stored
        }

        var tenant = stores.Agents(http);
        var sleeper = await tenant.Agents.CreateSleepTimeAgentAsync(id, request.Name ?? "sleep-time", schedule, request.RequireReview ?? false, cost: null, model, ct);
        await scheduler.ApplyPolicyAsync(tenant.TenantId, SleeperKind.Agent, sleeper.Id, schedule, ct);
        return TypedResults.Created($"/api/sleeptime-agents/{sleeper.Id}", SleepTimeAgentView.From(sleeper, model));
    }

    private static async Task<Results<Ok<List<SleepTimeAgentView>>, ProblemHttpResult>> ListAsync(string id, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        if (await tenant.Agents.GetAgentAsync(id, ct) is null)
        {
            return AgentApi.NoSuchAgent(id);
        }

        var views = new List<SleepTimeAgentView>();
        foreach (var sleeper in await tenant.Agents.ListSleepTimeAgentsAsync(id, ct))
        {
            views.Add(SleepTimeAgentView.From(sleeper, await tenant.Agents.GetModelAsync(sleeper.Id, ct)));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<SleepTimeAgentView>, ProblemHttpResult>> GetAsync(string id, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        var sleeper = await tenant.Agents.GetSleepTimeAgentAsync(id, ct);
        return sleeper is null
            ? ApiProblem.NotFound($"Sleep-time agent '{id}' was not found.")
            : TypedResults.Ok(SleepTimeAgentView.From(sleeper, await tenant.Agents.GetModelAsync(id, ct)));
    }

    private static async Task<Results<Accepted<RunView>, ProblemHttpResult>> TriggerAsync(string id, HttpContext http, TenantStores stores, SleepScheduler scheduler, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        if (await tenant.Agents.GetSleepTimeAgentAsync(id, ct) is null)
        {
            return ApiProblem.NotFound($"Sleep-time agent '{id}' was not found.");
        }

        var sleeper = (await tenant.Agents.GetSleepTimeAgentAsync(id, ct))!;
        var result = await scheduler.TriggerNowAsync(tenant.TenantId, SleeperKind.Agent, id, sleeper.PrimaryAgentId, TriggerKinds.Manual, ct);
        return TypedResults.Accepted($"/api/runs/{result.Run.Id}", RunView.From(result.Run));
    }
}
