using SleepTime.Storage;
using SleepTime.Testing;

namespace SleepTime.Server.Tests.Pipeline;

/// <summary>
/// A restart on the same SQLite file loses no pending trigger. Each server names its node, so the run that fires is
/// seen to be the restarted server's, and it must have read what was written before the stop.
/// </summary>
public sealed class RestartTriggerTests : IDisposable
{
    private readonly string path = PipelineApi.NewDatabasePath();

    public void Dispose() => PipelineApi.DeleteDatabase(path);

    [Fact]
    public async Task A_pending_idle_trigger_of_a_sleep_time_agent_fires_once_after_a_restart()
    {
        string agentId;
        await using (var before = Server("before", new ScriptedChatClient(_ => SleepModels.Finish())))
        {
            var client = before.Client();
            (agentId, _) = await client.CreateAgentAsync();
            await client.CreateSleeperAsync(agentId, new { name = "idle", every_turns = 0, idle_after_seconds = 2 });
            await client.SendAsync(agentId, "said before the restart");
        }

        var sleep = new ScriptedChatClient(_ => SleepModels.Finish());
        await using var after = Server("after", sleep);
        var runs = await after.Client().WaitForAgentRunsAsync(agentId, 1, TriggerKinds.Idle);

        var run = Assert.Single(runs);
        Assert.Equal(("succeeded", "after"), (run.Status(), run.GetProperty("node").GetString()));
        Assert.Contains("said before the restart", Assert.Single(sleep.RunInputs()));
    }

    [Fact]
    public async Task A_pending_turn_count_trigger_counts_turns_from_both_sides_of_a_restart()
    {
        string agentId;
        await using (var before = Server("before", new ScriptedChatClient(_ => SleepModels.Finish())))
        {
            var client = before.Client();
            (agentId, _) = await client.CreateAgentAsync();
            await client.CreateSleeperAsync(agentId, new { name = "turns", every_turns = 2 });
            await client.SendAsync(agentId, "first turn, before the restart");
        }

        var sleep = new ScriptedChatClient(_ => SleepModels.Finish());
        await using var after = Server("after", sleep);
        var restarted = after.Client();
        await restarted.SendAsync(agentId, "second turn, after the restart");
        var runs = await restarted.WaitForAgentRunsAsync(agentId, 1, TriggerKinds.Turns);

        var run = Assert.Single(runs);
        Assert.Equal(("succeeded", "after"), (run.Status(), run.GetProperty("node").GetString()));
        var input = Assert.Single(sleep.RunInputs());
        Assert.Contains("first turn, before the restart", input);
        Assert.Contains("second turn, after the restart", input);
        Assert.Single(await restarted.WaitForRunsAsync(agentId, 1));
    }

    [Fact]
    public async Task A_context_write_acknowledged_before_a_stop_gets_its_debounced_run_after_the_restart()
    {
        long version;
        await using (var before = Server("before"))
        {
            var client = before.Client();
            await client.PostOkAsync("/api/contexts", new { id = "notes", kind = "document", text = "Ann has 3 apples.", schedule = new { debounce_seconds = 2 } });
            version = (await client.PostOkAsync("/api/contexts/notes/append", new { text = "Ann buys 2 more." })).GetProperty("version").GetInt64();
        }

        await using var after = Server("after");
        var runs = await after.Client().WaitForContextRunsAsync("notes", 1, TriggerKinds.Change);

        var run = Assert.Single(runs);
        Assert.Equal(("succeeded", "after", version), (run.Status(), run.GetProperty("node").GetString(), run.GetProperty("context_version").GetInt64()));
    }

    [Fact]
    public async Task The_start_up_scan_queues_a_run_for_a_context_written_while_its_trigger_was_lost()
    {
        await using (var before = Server("before"))
        {
            var client = before.Client();
            await client.PostOkAsync("/api/contexts", new { id = "notes", kind = "document", text = "Ann has 3 apples.", schedule = new { debounce_seconds = 0 } });
            Assert.Equal("succeeded", Assert.Single(await client.WaitForContextRunsAsync("notes", 1, TriggerKinds.Change)).Status());
        }

        // What a crash between a write's commit and its trigger leaves: a version newer than the watermark, and no run.
        long version;
        await using (var database = new SleepTimeDatabase(new StorageOptions { SqlitePath = path }))
        {
            version = (await new TenantContextStore(database, ServerStartup.DefaultTenant).AppendAsync("notes", [ContextInput.Document("Ann buys 2 more.")])).Version;
        }

        await using var after = Server("after");
        var runs = await after.Client().WaitForContextRunsAsync("notes", 2, TriggerKinds.Change);

        Assert.Equal(2, runs.Length);
        Assert.Equal(("succeeded", "after", version), (runs[1].Status(), runs[1].GetProperty("node").GetString(), runs[1].GetProperty("context_version").GetInt64()));
    }

    private ServerFactory Server(string node, ScriptedChatClient? sleep = null) =>
        new(sleepModel: sleep, testModel: SleepModels.Primary(), settings: PipelineApi.OnFile(path, node));
}
