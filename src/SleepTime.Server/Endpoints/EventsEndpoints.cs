using System.Net.ServerSentEvents;

namespace SleepTime.Server;

/// <summary>Server-Sent Events: run state changes and learned-context updates, for the tenant or one context.</summary>
public static class EventsEndpoints
{
    public static RouteGroupBuilder MapEvents(this RouteGroupBuilder api)
    {
        api.MapGet("/events", (HttpContext http, EventHub hub, CancellationToken ct) =>
            TypedResults.ServerSentEvents(Stream(hub, http.Caller().TenantId, null, ct))).WithTags("Events").WithName("TenantEvents");
        api.MapGet("/contexts/{id}/events", async (string id, HttpContext http, TenantStores stores, EventHub hub, CancellationToken ct) =>
            await stores.Contexts(http).GetSummaryAsync(id, ct) is null
                ? Problems.NotFound($"Context '{id}' was not found.")
                : TypedResults.ServerSentEvents(Stream(hub, http.Caller().TenantId, id, ct))).WithTags("Events").WithName("ContextEvents");
        return api;
    }

    private static async IAsyncEnumerable<SseItem<object>> Stream(EventHub hub, string tenantId, string? contextId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var subscription = hub.Subscribe(tenantId, contextId);
        yield return new SseItem<object>(new { tenant_id = tenantId, context_id = contextId }, "ready");
        await foreach (var item in subscription.ReadAllAsync(ct))
        {
            yield return new SseItem<object>(new { type = item.Type, context_id = item.MemoryId, at = item.At, data = item.Data }, item.Type);
        }
    }
}
