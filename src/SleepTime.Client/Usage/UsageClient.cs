using SleepTime.Client.Http;
using SleepTime.Server;

namespace SleepTime.Client.Usage;

/// <summary>Tokens by phase and the amortized cost per query: the tenant's, a context's, an agent's.</summary>
public sealed class UsageClient
{
    private readonly ApiConnection api;

    internal UsageClient(ApiConnection api) => this.api = api;

    public Task<UsageReport> TenantAsync(CancellationToken cancellationToken = default) =>
        api.SendAsync<UsageReport>(HttpMethod.Get, "api/usage", cancellationToken);

    public Task<UsageReport> ContextAsync(string contextId, CancellationToken cancellationToken = default) =>
        api.SendAsync<UsageReport>(HttpMethod.Get, $"api/contexts/{PathOf.Id(contextId)}/usage", cancellationToken);

    /// <summary>The tenant at a glance: counts, runs in flight, today's tokens and the ledger of the last <paramref name="days"/> UTC days (1-90; default 14).</summary>
    public Task<OverviewView> OverviewAsync(int? days = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<OverviewView>(HttpMethod.Get, PathOf.Query("api/overview", ("days", days)), cancellationToken);

    public Task<UsageReport> AgentAsync(string agentId, CancellationToken cancellationToken = default) =>
        api.SendAsync<UsageReport>(HttpMethod.Get, $"api/agents/{PathOf.Id(agentId)}/usage", cancellationToken);
}
