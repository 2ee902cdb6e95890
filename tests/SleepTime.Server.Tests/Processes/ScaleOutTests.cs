using System.Diagnostics;
using Xunit.Abstractions;

namespace SleepTime.Server.Tests.Processes;

/// <summary>Two real server processes on one PostgreSQL database, sharing the runs through Quartz clustering.</summary>
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    private const string AdminKey = "st_scale_out_test_admin_key";
    private const int Contexts = 24;
    private const int Rounds = 4;

    [PostgresFact]
    public async Task Two_nodes_on_one_PostgreSQL_never_process_a_context_twice_at_once_and_finish_every_run_exactly_once()
    {
        await using var model = await SlowSleepModel.StartAsync(TimeSpan.FromMilliseconds(300));
        await using var database = await ScratchPostgresDatabase.CreateAsync();
        Dictionary<string, string> NodeEnvironment(string node) => new(model.Environment)
        {
            ["SleepTime__Scheduling__Clustered"] = "true",
            ["SleepTime__Scheduling__NodeName"] = node,
            ["SleepTime__Scheduling__Defaults__DebounceSeconds"] = "0",
            ["SleepTime__Scheduling__RetryBaseDelaySeconds"] = "0.1",
            ["SleepTime__Scheduling__MaxAttempts"] = "5",
            ["SleepTime__Server__RateLimitPerSecond"] = "0",
        };

        // One after the other: the first node migrates the database, the second finds it migrated.
        await using var nodeA = await ServerProcess.StartAsync(["--postgres", database.ConnectionString], NodeEnvironment("node-a"), AdminKey);
        await using var nodeB = await ServerProcess.StartAsync(["--postgres", database.ConnectionString], NodeEnvironment("node-b"), AdminKey);
        using var clientA = nodeA.Client();
        using var clientB = nodeB.Client();
        HttpClient[] nodes = [clientA, clientB];

        var acknowledgedVersions = await Task.WhenAll(Enumerable.Range(0, Contexts).Select(async i =>
        {
            var id = $"s{i}";
            var version = (await nodes[i % 2].PostOkAsync("/api/contexts", new { id, text = $"{SlowSleepModel.Marker(id)} fact 0" })).GetProperty("version").GetInt64();
            for (var round = 1; round <= Rounds; round++)
            {
                version = (await nodes[(i + round) % 2].PostOkAsync($"/api/contexts/{id}/append", new { text = $"{SlowSleepModel.Marker(id)} fact {round}" })).GetProperty("version").GetInt64();
                await nodes[(i + round + 1) % 2].PostOkAsync($"/api/contexts/{id}/runs", new { });
                await Task.Delay(100 + (i * 37 % 200));
            }

            return (id, version);
        }));

        var waited = Stopwatch.StartNew();
        while ((await clientA.GetOkAsync("/api/runs?status=queued&limit=1000")).GetArrayLength() + (await clientA.GetOkAsync("/api/runs?status=running&limit=1000")).GetArrayLength() > 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(45), $"Runs did not finish.\nnode-a:\n{nodeA.Output}\nnode-b:\n{nodeB.Output}");
            await Task.Delay(100);
        }

        var workedBy = new Dictionary<string, int>();
        foreach (var (id, version) in acknowledgedVersions)
        {
            var runs = (await clientB.GetOkAsync($"/api/contexts/{id}/runs?limit=1000")).EnumerateArray().ToArray();
            Assert.All(runs, r => Assert.True(r.GetProperty("status").GetString() is "succeeded" or "skipped", $"{id}: {r}"));
            foreach (var node in runs.Select(r => r.GetProperty("node").GetString() ?? "(none)"))
            {
                workedBy[node] = workedBy.GetValueOrDefault(node) + 1;
            }

            var history = (await clientA.GetOkAsync($"/api/contexts/{id}/learned/history")).EnumerateArray().ToArray();
            var versions = history.Select(h => h.GetProperty("version").GetInt64()).Order().ToList();
            Assert.Equal(Enumerable.Range(1, versions.Count).Select(v => (long)v), versions);
            var committedBy = runs.Where(r => r.GetProperty("status").GetString() == "succeeded").Select(r => r.GetProperty("learned_version").GetInt64()).Order().ToList();
            Assert.Equal(versions, committedBy);
            Assert.Equal(version, (await clientA.GetOkAsync($"/api/contexts/{id}")).GetProperty("processed_version").GetInt64());
        }

        output.WriteLine($"Runs per node: {string.Join(", ", workedBy.Select(kv => $"{kv.Key} {kv.Value}"))}; model calls: {model.TotalCalls}.");
        Assert.Empty(model.Overlaps);
        Assert.Equal(Contexts, model.CallsPerContext.Count);
        // The runs were shared: otherwise the test says nothing about two nodes.
        Assert.True(workedBy.GetValueOrDefault("node-a") > 0 && workedBy.GetValueOrDefault("node-b") > 0, $"Runs per node: {string.Join(", ", workedBy)}");
    }

    [PostgresFact]
    public async Task Two_nodes_share_sleep_time_agents_runs_without_overlap_or_a_fact_written_twice()
    {
        const int agents = 8;
        await using var model = await SlowSleepModel.StartAsync(TimeSpan.FromMilliseconds(200));
        await using var database = await ScratchPostgresDatabase.CreateAsync();
        Dictionary<string, string> NodeEnvironment(string node) => new(model.Environment)
        {
            ["SleepTime__Scheduling__Clustered"] = "true",
            ["SleepTime__Scheduling__NodeName"] = node,
            ["SleepTime__Scheduling__RetryBaseDelaySeconds"] = "0.1",
            ["SleepTime__Scheduling__MaxAttempts"] = "5",
            ["SleepTime__Server__RateLimitPerSecond"] = "0",
        };

        await using var nodeA = await ServerProcess.StartAsync(["--postgres", database.ConnectionString], NodeEnvironment("node-a"), AdminKey);
        await using var nodeB = await ServerProcess.StartAsync(["--postgres", database.ConnectionString], NodeEnvironment("node-b"), AdminKey);
        using var clientA = nodeA.Client();
        using var clientB = nodeB.Client();
        HttpClient[] nodes = [clientA, clientB];

        var written = await Task.WhenAll(Enumerable.Range(0, agents).Select(async i =>
        {
            var agent = await nodes[i % 2].PostOkAsync("/api/agents", new { name = $"g{i}", blocks = new[] { new { label = "human", value = $"{SlowSleepModel.Marker($"g{i}")} Name: Ada", limit = 5000 } } });
            var agentId = agent.GetProperty("id").GetString()!;
            var sleeperId = (await nodes[(i + 1) % 2].PostOkAsync($"/api/agents/{agentId}/sleeptime-agents", new { every_turns = 0 })).GetProperty("id").GetString()!;
            var facts = new List<string>();
            for (var round = 1; round <= Rounds; round++)
            {
                var fact = SlowSleepModel.Fact((i * 100) + round);
                await nodes[(i + round) % 2].PostOkAsync($"/api/agents/{agentId}/documents", new { title = fact, text = fact });
                await nodes[(i + round + 1) % 2].PostOkAsync($"/api/sleeptime-agents/{sleeperId}/runs", new { });
                facts.Add(fact);
                await Task.Delay(100 + (i * 37 % 200));
            }

            return (AgentId: agentId, BlockId: agent.GetProperty("block_ids")[0].GetString()!, Facts: facts);
        }));

        var waited = Stopwatch.StartNew();
        while ((await clientA.GetOkAsync("/api/runs?status=queued&limit=1000")).GetArrayLength() + (await clientA.GetOkAsync("/api/runs?status=running&limit=1000")).GetArrayLength() > 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"Runs did not finish.\nnode-a:\n{nodeA.Output}\nnode-b:\n{nodeB.Output}");
            await Task.Delay(100);
        }

        var workedBy = new Dictionary<string, int>();
        foreach (var (agentId, blockId, facts) in written)
        {
            var runs = (await clientB.GetOkAsync($"/api/agents/{agentId}/sleeptime-runs?limit=1000")).EnumerateArray().ToArray();
            Assert.All(runs, r => Assert.True(r.GetProperty("status").GetString() is "succeeded" or "skipped", $"{agentId}: {r}"));
            foreach (var node in runs.Where(r => r.GetProperty("status").GetString() == "succeeded").Select(r => r.GetProperty("node").GetString() ?? "(none)"))
            {
                workedBy[node] = workedBy.GetValueOrDefault(node) + 1;
            }

            var lines = BlockText.Lines(await clientA.BlockValueAsync(blockId)).Where(l => l.StartsWith("fact-", StringComparison.Ordinal)).ToList();
            Assert.Equal(facts.Order(), lines.Order());
        }

        output.WriteLine($"Agent runs per node: {string.Join(", ", workedBy.Select(kv => $"{kv.Key} {kv.Value}"))}; model calls: {model.TotalCalls}.");
        Assert.Empty(model.Overlaps);
        Assert.Equal(agents, model.CallsPerContext.Count);
        Assert.True(workedBy.GetValueOrDefault("node-a") > 0 && workedBy.GetValueOrDefault("node-b") > 0, $"Runs per node: {string.Join(", ", workedBy)}");
    }

    [PostgresFact]
    public async Task A_node_stopped_normally_mid_run_hands_its_run_to_the_other_node()
    {
        await using var model = await SlowSleepModel.StartAsync(TimeSpan.FromSeconds(3));
        await using var database = await ScratchPostgresDatabase.CreateAsync();
        Dictionary<string, string> NodeEnvironment(string node) => new(model.Environment)
        {
            ["SleepTime__Scheduling__Clustered"] = "true",
            ["SleepTime__Scheduling__NodeName"] = node,
            ["SleepTime__Server__RateLimitPerSecond"] = "0",
            ["SleepTime__Scheduling__ClusterCheckinSeconds"] = "1", // the survivor takes the stopped node for gone after 3 s
        };

        // Both nodes are up before the run exists, so neither can have it from its own start-up: the survivor gets it from
        // Quartz's cluster recovery of the stopped node's job (it was requested recovery and was still executing).
        var nodes = new Dictionary<string, ServerProcess>
        {
            ["node-a"] = await ServerProcess.StartAsync(["--postgres", database.ConnectionString], NodeEnvironment("node-a"), AdminKey),
            ["node-b"] = await ServerProcess.StartAsync(["--postgres", database.ConnectionString], NodeEnvironment("node-b"), AdminKey),
        };
        try
        {
            using var client = nodes["node-a"].Client();
            await client.PostOkAsync("/api/contexts", new { id = "handover", text = $"{SlowSleepModel.Marker("handover")} fact 0", schedule = new { on_change = false } });
            var runId = (await client.PostOkAsync("/api/contexts/handover/runs", new { })).GetProperty("id").GetString()!;
            var waited = Stopwatch.StartNew();
            string? owner = null;
            while (model.InFlight == 0 || owner is null)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), $"The run never reached the model.\n{nodes["node-a"].Output}");
                await Task.Delay(20);
                var running = await client.GetOkAsync($"/api/runs/{runId}");
                owner = running.GetProperty("status").GetString() == "running" ? running.GetProperty("node").GetString() : null;
            }

            var other = owner == "node-a" ? "node-b" : "node-a";
            Assert.Equal(0, await nodes[owner].TerminateAsync(TimeSpan.FromSeconds(20)));
            using var survivor = nodes[other].Client();
            System.Text.Json.JsonElement run;
            waited.Restart();
            do
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"{other} did not finish the run.\n{nodes[other].Output}\n{owner}:\n{nodes[owner].Output}");
                await Task.Delay(100);
                run = await survivor.GetOkAsync($"/api/runs/{runId}");
            }
            while (run.GetProperty("status").GetString() is "queued" or "running");

            Assert.Equal(("succeeded", other, 2), (run.GetProperty("status").GetString(), run.GetProperty("node").GetString(), run.GetProperty("attempt").GetInt32()));
            Assert.Equal(1, (await survivor.GetOkAsync("/api/contexts/handover")).GetProperty("learned_version").GetInt64());
        }
        finally
        {
            foreach (var node in nodes.Values)
            {
                await node.DisposeAsync();
            }
        }
    }
}
