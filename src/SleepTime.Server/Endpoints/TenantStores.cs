using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>Builds the stores of the calling tenant, so an endpoint can only ever see its own tenant's data.</summary>
public sealed class TenantStores(SleepTimeDatabase database, TimeProvider time)
{
    public TenantContextStore Contexts(HttpContext context) => Contexts(context.Caller().TenantId);

    public TenantContextStore Contexts(string tenantId) => new(database, tenantId, time);

    public TenantAgentStores Agents(HttpContext context) => Agents(context.Caller().TenantId);

    public TenantAgentStores Agents(string tenantId) => new(database, tenantId, time);
}
