using SleepTime.Agents;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// One tenant's agents: its database stores (run and block writes published as events) and the
/// <see cref="SleepTimeAgentCoordinator"/> that runs its sleep-time agents in the background.
/// </summary>
public sealed class TenantAgentRuntime : IAsyncDisposable
{
    private readonly SleepTimeModelResolver models;
    private readonly ILogger logger;

    private readonly SleepTimeDatabase sqlDatabase;

    internal TenantAgentRuntime(SleepTimeDatabase sqlDatabase, TenantAgentStores database, EventHub hub, SleepTimeModelResolver models, SleepTimeCoordinatorOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        this.sqlDatabase = sqlDatabase;
        this.models = models;
        logger = loggers.CreateLogger<TenantAgentRuntime>();
        Database = database;
        Blocks = new EventingBlockStore(database.Blocks, database.TenantId, hub, time);
        Stores = database.ToAgentStores() with { Blocks = Blocks, Runs = new EventingRunStore(database.Runs, database.TenantId, hub, time) };
        Coordinator = new SleepTimeAgentCoordinator(Stores, options, time, loggers.CreateLogger<SleepTimeAgentCoordinator>());
    }

    public string TenantId => Database.TenantId;

    /// <summary>The typed stores, for reads and the operations beyond the library's interfaces.</summary>
    public TenantAgentStores Database { get; }

    /// <summary>Block writes that tell the agents using the block.</summary>
    public IBlockStore Blocks { get; }

    /// <summary>What the coordinator and primary agents use.</summary>
    public AgentStores Stores { get; }

    public SleepTimeAgentCoordinator Coordinator { get; }

    /// <summary>
    /// A change-set store for reading only: the coordinator's store remembers the row version it read for its next
    /// compare-and-swap, and API reads must not refresh that on its behalf.
    /// </summary>
    public SqlChangeSetStore ChangeSetReader() => new(sqlDatabase, TenantId);

    /// <summary>Gives every sleep-time agent of the tenant its model and starts the background worker.</summary>
    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (sleeper, model) in await Database.Agents.ListAllSleepTimeAgentsAsync(cancellationToken).ConfigureAwait(false))
        {
            Register(sleeper.Id, model);
        }

        Coordinator.Start();
    }

    /// <summary>Registers the sleep-time agent's model; without one its runs fail visibly ("no model is registered").</summary>
    public void Register(string sleepTimeAgentId, SleepTimeModelSettings? model)
    {
        try
        {
            // The client is shared (the resolver's cache or the server's keyed "sleep" model): the coordinator never disposes it.
            if (models.SleepTime(model) is { } client)
            {
                Coordinator.Register(sleepTimeAgentId, client, ownsModel: false);
            }
            else
            {
                Coordinator.Unregister(sleepTimeAgentId);
            }
        }
        catch (Exception ex) when (ex is SleepTimeException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            logger.LogWarning(ex, "Sleep-time agent {Agent} has no usable model; its runs will fail saying so.", sleepTimeAgentId);
        }
    }

    /// <summary>Forgets the models of deleted sleep-time agents.</summary>
    public void Unregister(IEnumerable<string> sleepTimeAgentIds)
    {
        foreach (var id in sleepTimeAgentIds)
        {
            Coordinator.Unregister(id);
        }
    }

    public ValueTask DisposeAsync() => Coordinator.DisposeAsync();
}
