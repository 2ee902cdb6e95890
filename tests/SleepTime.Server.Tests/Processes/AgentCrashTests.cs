using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace SleepTime.Server.Tests.Processes;

/// <summary>
/// Kills a real server process (<c>kill -9</c>) again and again while sleep-time agents commit, restarting it on the
/// same SQLite file each time: a run's change set, block writes, watermark and run state land together or not at all.
/// </summary>
public sealed class AgentCrashTests(ITestOutputHelper output)
{
    private const string AdminKey = "st_agent_crash_test_admin_key";
    private const int Kills = 30;
    private const int Agents = 3;

    [Fact]
    public async Task Thirty_kills_during_agent_commits_duplicate_no_fact_and_every_block_version_and_run_is_recorded_once()
    {
        await using var model = await SlowSleepModel.StartAsync(TimeSpan.FromMilliseconds(25));
        var data = Path.Combine(Path.GetTempPath(), "sleeptime-crash-tests", Guid.NewGuid().ToString("N") + ".db");
        var environment = new Dictionary<string, string>(model.Environment)
        {
            ["SleepTime__Scheduling__RetryBaseDelaySeconds"] = "0.05",
            ["SleepTime__Scheduling__MaxAttempts"] = "100",
            ["SleepTime__Server__RateLimitPerSecond"] = "0",
        };
        var acknowledged = new Acknowledged();
        var agents = new List<(string AgentId, string BlockId)>();
        var random = new Random(9);
        var fact = 0;
        try
        {
            for (var kill = 0; kill < Kills; kill++)
            {
                await using var server = await ServerProcess.StartAsync(["--data", data], environment, AdminKey);
                using var client = server.Client();
                if (agents.Count == 0)
                {
                    for (var i = 0; i < Agents; i++)
                    {
                        var agent = await client.PostOkAsync("/api/agents", new { name = $"a{i}", blocks = new[] { new { label = "human", value = $"{SlowSleepModel.Marker($"a{i}")} Name: Ada", limit = 20_000 } } });
                        var agentId = agent.GetProperty("id").GetString()!;
                        await client.PostOkAsync($"/api/agents/{agentId}/sleeptime-agents", new { name = "memory", every_turns = 0 });
                        agents.Add((agentId, agent.GetProperty("block_ids")[0].GetString()!));
                    }
                }

                // Documents (each triggers a run of the agent's sleeper) and manual runs, while the runs commit.
                var callsAtStart = model.TotalCalls;
                using var stop = new CancellationTokenSource();
                var writers = agents.Select(a => WriteUntilStoppedAsync(client, a.AgentId, acknowledged, () => Interlocked.Increment(ref fact), stop.Token)).ToArray();
                await WaitUntilAsync(() => model.TotalCalls >= callsAtStart + 2, "agent runs in flight", server);
                await Task.Delay(random.Next(0, 120));
                await server.KillAsync();
                await stop.CancelAsync();
                await Task.WhenAll(writers);
            }

            await using var last = await ServerProcess.StartAsync(["--data", data], environment, AdminKey);
            using var restarted = last.Client();
            var interrupted = 0;
            var totalRuns = 0;
            foreach (var (agentId, blockId) in agents)
            {
                await WaitUntilAsync(async () => await LiveRunsAsync(restarted, agentId) == 0
                    && acknowledged.FactsOf(agentId).All((await restarted.BlockValueAsync(blockId)).Contains), $"agent {agentId} caught up", last);

                // No fact twice: a committed run's watermark moved with its edits, so no retry read its input again.
                var lines = BlockText.Lines(await restarted.BlockValueAsync(blockId)).Where(l => l.StartsWith("fact-", StringComparison.Ordinal)).ToList();
                Assert.Equal(lines.Count, lines.Distinct().Count());
                Assert.All(acknowledged.FactsOf(agentId), f => Assert.Contains(f, lines));

                // Every block version after the first was written by exactly one change set, in one commit.
                var block = await restarted.GetOkAsync($"/api/blocks/{blockId}");
                var changeSets = (await restarted.GetOkAsync($"/api/agents/{agentId}/changes?limit=1000")).EnumerateArray().ToArray();
                var applied = changeSets.SelectMany(c => c.GetProperty("blocks").EnumerateArray())
                    .Where(b => b.GetProperty("block_id").GetString() == blockId && b.GetProperty("applied_version").ValueKind == System.Text.Json.JsonValueKind.Number)
                    .Select(b => b.GetProperty("applied_version").GetInt64()).Order().ToList();
                Assert.Equal(Enumerable.Range(2, (int)block.GetProperty("version").GetInt64() - 1).Select(v => (long)v), applied);

                // Every acknowledged run ended once, and nothing failed: interrupted attempts were claimed again. A
                // document's debounced trigger, re-armed by the restart, may still queue a run after the facts are in
                // (it finds nothing new); the runs are checked once every one listed has ended.
                System.Text.Json.JsonElement[] runs = [];
                await WaitUntilAsync(async () =>
                {
                    runs = (await restarted.GetOkAsync($"/api/agents/{agentId}/sleeptime-runs?limit=1000")).EnumerateArray().ToArray();
                    return runs.All(r => r.GetProperty("status").GetString() is "succeeded" or "skipped" or "failed" or "cancelled");
                }, $"agent {agentId}'s runs ended", last);
                Assert.All(runs, r => Assert.True(r.GetProperty("status").GetString() is "succeeded" or "skipped", r.ToString()));
                Assert.Equal(runs.Length, runs.Select(r => r.GetProperty("id").GetString()).Distinct().Count());
                Assert.All(acknowledged.RunsOf(agentId), id => Assert.Single(runs, r => r.GetProperty("id").GetString() == id));
                interrupted += runs.Count(r => r.GetProperty("attempt").GetInt32() > 1);
                totalRuns += runs.Length;
            }

            output.WriteLine($"{Kills} kills, {acknowledged.FactCount} acknowledged documents, {totalRuns} runs, {interrupted} interrupted and claimed again, {model.TotalCalls} model calls.");
            Assert.True(interrupted > 0, "No run was interrupted by a kill, so the test proved nothing about commits under kills.");
            Assert.Empty(model.Overlaps);
        }
        finally
        {
            foreach (var file in new[] { data, data + "-wal", data + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static async Task WriteUntilStoppedAsync(HttpClient client, string agentId, Acknowledged acknowledged, Func<int> nextFact, CancellationToken stop)
    {
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            try
            {
                var text = SlowSleepModel.Fact(nextFact());
                var response = await client.PostAsJsonAsync($"/api/agents/{agentId}/documents", new { title = text, text }, ServerFactory.Json, CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    acknowledged.Fact(agentId, text);
                }

                if (n % 4 == 0)
                {
                    var sleeper = (await client.GetOkAsync($"/api/agents/{agentId}/sleeptime-agents"))[0].GetProperty("id").GetString();
                    var run = await client.PostAsync($"/api/sleeptime-agents/{sleeper}/runs", null, CancellationToken.None);
                    if (run.IsSuccessStatusCode)
                    {
                        acknowledged.Run(agentId, (await run.JsonAsync()).GetProperty("id").GetString()!);
                    }
                }

                await Task.Delay(15, stop);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException)
            {
                // The server was killed mid-request: this write was never acknowledged.
                return;
            }
        }
    }

    private static async Task<int> LiveRunsAsync(HttpClient client, string agentId)
    {
        var queued = await client.GetOkAsync($"/api/agents/{agentId}/sleeptime-runs?status=queued&limit=1000");
        var running = await client.GetOkAsync($"/api/agents/{agentId}/sleeptime-runs?status=running&limit=1000");
        return queued.GetArrayLength() + running.GetArrayLength();
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what, ServerProcess server) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, server);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, ServerProcess server)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"Gave up waiting for {what}. Server output:\n{server.Output}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>What the server answered 2xx to, per agent: documents (one fact each) and run ids.</summary>
    private sealed class Acknowledged
    {
        private readonly ConcurrentDictionary<string, ConcurrentBag<string>> facts = new();
        private readonly ConcurrentDictionary<string, ConcurrentBag<string>> runs = new();

        public int FactCount => facts.Values.Sum(f => f.Count);

        public void Fact(string agentId, string fact) => facts.GetOrAdd(agentId, _ => []).Add(fact);

        public void Run(string agentId, string runId) => runs.GetOrAdd(agentId, _ => []).Add(runId);

        public IReadOnlyList<string> FactsOf(string agentId) => facts.TryGetValue(agentId, out var f) ? [.. f] : [];

        public IEnumerable<string> RunsOf(string agentId) => runs.TryGetValue(agentId, out var r) ? r : [];
    }
}
