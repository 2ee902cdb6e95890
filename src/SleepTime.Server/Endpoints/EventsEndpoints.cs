namespace SleepTime.Server;

/// <summary>Server-Sent Events: run state changes and learned-context updates, for the tenant or one context.</summary>
public static class EventsEndpoints
{
    public static RouteGroupBuilder MapEvents(this RouteGroupBuilder api)
    {
        api.MapGet("/events", async (HttpContext http, EventHub hub, CancellationToken ct) =>
        {
            var (after, problem) = await LastEventId.ReadAsync(http.Request, hub, ct);
            if (problem is not null)
            {
                return problem;
            }

            var tenantId = http.Caller().TenantId;
            return new EventStreamResult(hub, hub.Subscribe(tenantId, null), after, "context_id", new { tenant_id = tenantId, context_id = (string?)null });
        }).WithTags("Events").WithName("TenantEvents");
        api.MapGet("/contexts/{id}/events", async (string id, HttpContext http, TenantStores stores, EventHub hub, CancellationToken ct) =>
        {
            var (after, problem) = await LastEventId.ReadAsync(http.Request, hub, ct);
            if (problem is not null)
            {
                return problem;
            }

            if (await stores.Contexts(http).GetSummaryAsync(id, ct) is null)
            {
                return Problems.NotFound($"Context '{id}' was not found.");
            }

            var tenantId = http.Caller().TenantId;
            return new EventStreamResult(hub, hub.Subscribe(tenantId, id), after, "context_id", new { tenant_id = tenantId, context_id = id });
        }).WithTags("Events").WithName("ContextEvents");
        return api;
    }
}
