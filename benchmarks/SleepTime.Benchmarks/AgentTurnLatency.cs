using BenchmarkDotNet.Attributes;
using SleepTime.Agents;
using SleepTime.Storage;
using SleepTime.Testing;

namespace SleepTime.Benchmarks;

/// <summary>
/// Time to first token of a primary-agent turn on the SQLite stores, with an instant model: nothing else running,
/// a sleep-time run of the same agent in flight (waiting on its model), and other agents' sleep-time runs executing
/// back to back against the same database. The target is no measurable difference: a turn never waits for sleep work.
/// </summary>
[MemoryDiagnoser]
public class AgentTurnLatency
{
    private readonly TaskCompletionSource hold = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopBusy = new();
    private SleepTimeDatabase database = null!;
    private InProcessSleepScheduler scheduler = null!;
    private PrimaryAgent primary = null!;
    private Task busy = Task.CompletedTask;

    [Params("none", "same-agent-run-in-flight", "other-agents-runs-executing")]
    public string Background { get; set; } = "none";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "sleeptime-bench", Guid.NewGuid().ToString("N") + ".db");
        database = new SleepTimeDatabase(new StorageOptions { SqlitePath = path });
        await Migrator.MigrateAsync(database);
        var tenant = new TenantAgentStores(database, "bench");
        var stores = tenant.ToAgentStores();
        var human = await stores.Blocks.CreateAsync(new NewBlock("human", "Name: Ada\n" + string.Concat(Enumerable.Repeat("Likes tea. ", 100))), "user");
        var agent = await stores.Agents.CreateAgentAsync("assistant", "Be brief.", [human.Id]);
        var sleeper = await stores.Agents.CreateSleepTimeAgentAsync(agent.Id, "memory", SchedulePolicy.AgentDefault with { EveryTurns = 0 });
        scheduler = new InProcessSleepScheduler(stores);
        scheduler.Register(sleeper.Id, new AgentBenchSleepModel(Background == "same-agent-run-in-flight" ? hold.Task : null));
        primary = new PrimaryAgent(agent.Id, new InstantChatClient("Noted."), stores, new PrimaryAgentOptions { Scheduler = scheduler });
        for (var i = 0; i < 20; i++)
        {
            await primary.SendAsync($"warm-up turn {i}");
        }

        if (Background == "same-agent-run-in-flight")
        {
            await scheduler.TriggerAsync(SleeperKind.Agent, sleeper.Id);
        }
        else if (Background == "other-agents-runs-executing")
        {
            busy = KeepOtherAgentsBusyAsync(stores, stopBusy.Token);
        }
    }

    [Benchmark(Description = "PrimaryAgent turn: time to first streamed token")]
    public async Task<string> TimeToFirstToken()
    {
        await foreach (var update in primary.SendStreamingAsync("What do you know about me?"))
        {
            return update.Text; // first token: stop here
        }

        return string.Empty;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        hold.TrySetResult();
        await stopBusy.CancelAsync();
        try
        {
            await busy;
        }
        catch (OperationCanceledException)
        {
        }
        await scheduler.DisposeAsync();
        await database.DisposeAsync();
    }

    private async Task KeepOtherAgentsBusyAsync(AgentStores stores, CancellationToken ct)
    {
        var sleepers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var block = await stores.Blocks.CreateAsync(new NewBlock("human", "Name: Ada"), "user");
            var agent = await stores.Agents.CreateAgentAsync($"other {i}", "", [block.Id]);
            var sleeper = await stores.Agents.CreateSleepTimeAgentAsync(agent.Id, "memory", SchedulePolicy.AgentDefault with { EveryTurns = 0 });
            scheduler.Register(sleeper.Id, new AgentBenchSleepModel());
            sleepers.Add(sleeper.Id);
        }

        while (!ct.IsCancellationRequested)
        {
            foreach (var id in sleepers)
            {
                var sleeper = (await stores.Agents.GetSleepTimeAgentAsync(id, ct))!;
                await stores.Messages.AppendAsync(sleeper.PrimaryAgentId, Microsoft.Extensions.AI.ChatRole.User, "more", 1, ct);
                await scheduler.TriggerAsync(SleeperKind.Agent, id, cancellationToken: ct);
            }

            await scheduler.WhenIdleAsync(ct);
        }
    }
}
