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

    private static async Task<IResult> CreateAsync(string id, CreateSleepTimeAgentRequest request, HttpContext http, AgentRuntime runtime, SleepTimeModelResolver models, CancellationToken ct)
    {
        if (request.Model is not null && !http.Caller().Key.IsAdmin)
        {
            // An own model is called with the server's credentials (the key variable), at any URL: only the operator may choose one.
            return Problems.Forbidden(
                "Only an admin key may give a sleep-time agent its own model (model: provider, model, endpoint, api_key_environment_variable). "
                + "Leave out \"model\" to use the server's \"sleep\" model.");
        }

        if (request.IdleAfterSeconds is { } idle && (double.IsNaN(idle) || idle <= 0 || idle > TimeSpan.FromDays(30).TotalSeconds))
        {
            return Problems.BadRequest("idle_after_seconds must be positive and at most 30 days.", "idle_after_seconds");
        }

        if (request.EveryTurns is < 0)
        {
            return Problems.BadRequest("every_turns must be 0 (off) or more.", "every_turns");
        }

        var triggers = new SleepTimeTriggers(
            request.EveryTurns switch { null => SleepTimeTriggers.DefaultEveryTurns, 0 => null, var n => n },
            request.IdleAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            request.TranscriptTokens);
        SleepTimeModelSettings? model = null;
        if (request.Model is { } m)
        {
            model = new SleepTimeModelSettings(m.Model ?? string.Empty, m.Provider, m.Endpoint, m.ApiKeyEnvironmentVariable);
            _ = models.ToEndpoint(model); // 400 on unusable settings or a key variable that is not allowed, before anything is stored
        }

        var tenant = await runtime.RuntimeAsync(http);
        var sleeper = await tenant.Database.Agents.CreateSleepTimeAgentAsync(id, request.Name ?? "sleep-time", triggers, request.DailyTokenBudget, request.RequireReview ?? false, cost: null, model, ct);
        tenant.Register(sleeper.Id, model);
        return TypedResults.Created($"/api/sleeptime-agents/{sleeper.Id}", SleepTimeAgentView.From(sleeper, model));
    }

    private static async Task<IResult> ListAsync(string id, HttpContext http, AgentRuntime runtime, CancellationToken ct)
    {
        var tenant = await runtime.RuntimeAsync(http);
        if (await tenant.Database.Agents.GetAgentAsync(id, ct) is null)
        {
            return AgentApi.AgentNotFound(id);
        }

        var views = new List<SleepTimeAgentView>();
        foreach (var sleeper in await tenant.Database.Agents.ListSleepTimeAgentsAsync(id, ct))
        {
            views.Add(SleepTimeAgentView.From(sleeper, await tenant.Database.Agents.GetModelAsync(sleeper.Id, ct)));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, AgentRuntime runtime, CancellationToken ct)
    {
        var tenant = await runtime.RuntimeAsync(http);
        var sleeper = await tenant.Database.Agents.GetSleepTimeAgentAsync(id, ct);
        return sleeper is null
            ? Problems.NotFound($"Sleep-time agent '{id}' was not found.")
            : TypedResults.Ok(SleepTimeAgentView.From(sleeper, await tenant.Database.Agents.GetModelAsync(id, ct)));
    }

    private static async Task<IResult> TriggerAsync(string id, HttpContext http, AgentRuntime runtime, CancellationToken ct)
    {
        var tenant = await runtime.RuntimeAsync(http);
        if (await tenant.Database.Agents.GetSleepTimeAgentAsync(id, ct) is null)
        {
            return Problems.NotFound($"Sleep-time agent '{id}' was not found.");
        }

        var run = await tenant.Coordinator.RequestRunAsync(id, ct);
        return TypedResults.Accepted($"/api/sleeptime-runs/{run.Id}", SleepTimeRunView.From(run));
    }
}
