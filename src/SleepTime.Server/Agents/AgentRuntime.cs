using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SleepTime.Agents;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// The background side of the agents API, as a hosted service: one <see cref="TenantAgentRuntime"/> per tenant,
/// created on first use. At start-up, runs that a previous process left queued or running are marked failed and
/// retried (their watermark never moved). Sleep-time work never runs on a request thread: requests only queue it.
/// </summary>
public sealed class AgentRuntime(
    SleepTimeDatabase database,
    EventHub hub,
    SleepTimeModelResolver models,
    IOptions<AgentServerOptions> options,
    TimeProvider time,
    ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TenantAgentRuntime>>> tenants = new(StringComparer.Ordinal);
    private readonly ILogger logger = loggers.CreateLogger<AgentRuntime>();

    public Task<TenantAgentRuntime> ForTenantAsync(string tenantId) =>
        tenants.GetOrAdd(tenantId, id => new Lazy<Task<TenantAgentRuntime>>(() => CreateAsync(id))).Value;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // ServerStartup has migrated the database in its StartingAsync, before any StartAsync.
        foreach (var tenantId in await SqlSleepTimeRunStore.TenantsWithLiveRunsAsync(database, cancellationToken).ConfigureAwait(false))
        {
            var runtime = await ForTenantAsync(tenantId).ConfigureAwait(false);
            var recovered = await runtime.Coordinator.RecoverInterruptedRunsAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Tenant {Tenant}: {Runs} interrupted sleep-time runs marked failed and retried.", tenantId, recovered.Count);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in tenants.Values.Where(l => l.IsValueCreated))
        {
            try
            {
                await (await entry.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Stopping a tenant's sleep-time coordinator failed.");
            }
        }
    }

    private async Task<TenantAgentRuntime> CreateAsync(string tenantId)
    {
        var settings = options.Value;
        var coordinatorOptions = new SleepTimeCoordinatorOptions
        {
            MaxConcurrentRuns = Math.Max(1, settings.MaxConcurrentRuns),
            MaxAttempts = Math.Max(1, settings.MaxAttempts),
            RetryDelay = TimeSpan.FromSeconds(Math.Max(0, settings.RetryDelaySeconds)),
        };
        var runtime = new TenantAgentRuntime(database, new TenantAgentStores(database, tenantId, time), hub, models, coordinatorOptions, time, loggers);
        await runtime.StartAsync(CancellationToken.None).ConfigureAwait(false);
        return runtime;
    }
}
