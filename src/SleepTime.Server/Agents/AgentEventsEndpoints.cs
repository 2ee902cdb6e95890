using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace SleepTime.Server;

/// <summary>/api/agents/{id}/events: Server-Sent Events of the agent's sleep-time runs, change sets and memory.</summary>
public static class AgentEventsEndpoints
{
    public static RouteGroupBuilder MapAgentEvents(this RouteGroupBuilder api)
    {
        api.MapGet("/agents/{id}/events", async (string id, HttpContext http, TenantStores stores, EventHub hub, CancellationToken ct) =>
        {
            var tenant = stores.Agents(http);
            return await tenant.Agents.GetAgentAsync(id, ct) is null
                ? AgentApi.AgentNotFound(id)
                : TypedResults.ServerSentEvents(StreamAsync(hub, tenant.TenantId, id, ct));
        }).WithTags("Events").WithName("AgentEvents");
        return api;
    }

    private static async IAsyncEnumerable<SseItem<object>> StreamAsync(EventHub hub, string tenantId, string agentId, [EnumeratorCancellation] CancellationToken ct)
    {
        // Subscribed before saying "ready", so no event published after "ready" is missed.
        using var subscription = hub.Subscribe(tenantId, agentId, EventStream.Agents);
        yield return new SseItem<object>(new { agent_id = agentId }, "ready");
        await foreach (var item in subscription.ReadAllAsync(ct).ConfigureAwait(false))
        {
            yield return new SseItem<object>(new { type = item.Type, agent_id = item.MemoryId, at = item.At, data = item.Data }, item.Type);
        }
    }
}
