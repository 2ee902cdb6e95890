namespace SleepTime.Server;

/// <summary>/api/agents/{id}/events: Server-Sent Events of the agent's sleep-time runs, change sets and memory.</summary>
public static class AgentEventsEndpoints
{
    public static RouteGroupBuilder MapAgentEvents(this RouteGroupBuilder api)
    {
        api.MapGet("/agents/{id}/events", async (string id, HttpContext http, TenantStores stores, EventHub hub, CancellationToken ct) =>
        {
            var (after, problem) = await LastEventId.ReadAsync(http.Request, hub, ct);
            if (problem is not null)
            {
                return problem;
            }

            var tenant = stores.Agents(http);
            if (await tenant.Agents.GetAgentAsync(id, ct) is null)
            {
                return AgentApi.AgentNotFound(id);
            }

            // Subscribed before saying "ready", so no event delivered after "ready" is missed.
            return new EventStreamResult(hub, hub.Subscribe(tenant.TenantId, id, EventStream.Agents), after, "agent_id", new { agent_id = id });
        }).WithTags("Events").WithName("AgentEvents");
        return api;
    }
}
