
namespace SleepTime.Storage;

/// <summary>One tenant's agent stores on the database, typed (for the operations beyond the library's interfaces) and as <see cref="AgentStores"/>.</summary>
public sealed class TenantAgentStores
{
    public TenantAgentStores(SleepTimeDatabase database, string tenantId, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        TenantId = tenantId;
        Blocks = new SqlBlockStore(database, tenantId, timeProvider);
        Agents = new SqlAgentStore(database, tenantId, timeProvider);
        Messages = new SqlMessageStore(database, tenantId, timeProvider);
        Documents = new SqlDocumentStore(database, tenantId, timeProvider);
        ChangeSets = new SqlChangeSetStore(database, tenantId);
        Archival = new SqlArchivalStore(database, tenantId);
        Memory = new SqlMemoryStore(database, tenantId, timeProvider);
    }

    public string TenantId { get; }

    public SqlBlockStore Blocks { get; }

    public SqlAgentStore Agents { get; }

    public SqlMessageStore Messages { get; }

    public SqlDocumentStore Documents { get; }

    public SqlChangeSetStore ChangeSets { get; }

    public SqlArchivalStore Archival { get; }

    public SqlMemoryStore Memory { get; }

    public AgentStores ToAgentStores() => new(Blocks, Agents, Messages, Documents, ChangeSets, Archival, Memory);
}
