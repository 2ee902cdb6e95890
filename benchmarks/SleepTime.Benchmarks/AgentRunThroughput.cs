using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using SleepTime.Agents;
using SleepTime.Storage;

namespace SleepTime.Benchmarks;

/// <summary>
/// Sleep-time runs the background completes per second on the SQLite stores with an instant model: each run reads
/// the new message, rewrites a block, and commits its change set and watermark in one transaction (in-process scheduler). One invocation runs one
/// run for each of <see cref="Agents"/> sleep-time agents.
/// </summary>
public class AgentRunThroughput
{
    private SleepTimeDatabase database = null!;
    private InProcessSleepScheduler scheduler = null!;
    private AgentStores stores = null!;
    private List<SleepTimeAgent> sleepers = [];

    [Params(16)]
    public int Agents { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "sleeptime-bench", Guid.NewGuid().ToString("N") + ".db");
        database = new SleepTimeDatabase(new StorageOptions { SqlitePath = path });
        await Migrator.MigrateAsync(database);
        stores = new TenantAgentStores(database, "bench").ToAgentStores();
        scheduler = new InProcessSleepScheduler(stores);
        for (var i = 0; i < Agents; i++)
        {
            var block = await stores.Blocks.CreateAsync(new NewBlock("human", "Name: Ada"), "user");
            var agent = await stores.Agents.CreateAgentAsync($"agent {i}", "", [block.Id]);
            var sleeper = await stores.Agents.CreateSleepTimeAgentAsync(agent.Id, "memory", SchedulePolicy.AgentDefault with { EveryTurns = 0 });
            scheduler.Register(sleeper.Id, new AgentBenchSleepModel());
            sleepers.Add(sleeper);
        }

    }

    [Benchmark(Description = "sleep-time runs, SQLite, instant model", OperationsPerInvoke = 16)]
    public async Task Runs()
    {
        foreach (var sleeper in sleepers)
        {
            await stores.Messages.AppendAsync(sleeper.PrimaryAgentId, ChatRole.User, "I moved to Bergen.", 5);
            await scheduler.TriggerAsync(SleeperKind.Agent, sleeper.Id);
        }

        await scheduler.WhenIdleAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        var failed = scheduler.Runs().Where(r => r.Status == RunStatus.Failed).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"{failed.Count} runs failed: {failed[0].Error}");
        }

        await scheduler.DisposeAsync();
        await database.DisposeAsync();
    }
}
