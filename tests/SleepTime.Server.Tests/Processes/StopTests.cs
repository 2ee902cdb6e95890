using SleepTime.Storage;
using System.Diagnostics;

namespace SleepTime.Server.Tests.Processes;

/// <summary>A normal stop (SIGTERM) of a real server while runs of a context and of a sleep-time agent are in flight.</summary>
public sealed class StopTests
{
    private const string AdminKey = "st_stop_test_admin_key";

    [Fact]
    public async Task Runs_in_flight_at_a_SIGTERM_are_claimed_again_after_the_restart_and_finish_once()
    {
        await using var model = await SlowSleepModel.StartAsync(TimeSpan.FromSeconds(3));
        var data = Path.Combine(Path.GetTempPath(), "sleeptime-stop-tests", Guid.NewGuid().ToString("N") + ".db");
        var environment = new Dictionary<string, string>(model.Environment)
        {
            ["SleepTime__Scheduling__RetryBaseDelaySeconds"] = "0.1",
            ["SleepTime__Server__RateLimitPerSecond"] = "0",
        };
        string contextRun, agentRun, agentId, blockId;
        try
        {
            await using (var first = await ServerProcess.StartAsync(["--data", data], environment, AdminKey))
            {
                using var client = first.Client();
                await client.PostOkAsync("/api/contexts", new { id = "doc", text = $"{SlowSleepModel.Marker("doc")} fact 0", schedule = new { on_change = false } });
                contextRun = (await client.PostOkAsync("/api/contexts/doc/runs", new { })).GetProperty("id").GetString()!;
                var agent = await client.PostOkAsync("/api/agents", new { name = "a", blocks = new[] { new { label = "human", value = $"{SlowSleepModel.Marker("a")} Name: Ada" } } });
                (agentId, blockId) = (agent.GetProperty("id").GetString()!, agent.GetProperty("block_ids")[0].GetString()!);
                await client.PostOkAsync($"/api/agents/{agentId}/sleeptime-agents", new { every_turns = 0 });
                await client.PostOkAsync($"/api/agents/{agentId}/documents", new { title = "news", text = SlowSleepModel.Fact(1) });
                agentRun = (await client.GetOkAsync($"/api/agents/{agentId}/sleeptime-runs"))[0].GetProperty("id").GetString()!;

                var waited = Stopwatch.StartNew();
                while (model.InFlight < 2)
                {
                    Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), $"The two runs never reached the model.\n{first.Output}");
                    await Task.Delay(20);
                }

                Assert.Equal(0, await first.TerminateAsync(TimeSpan.FromSeconds(20)));
            }

            // What the stop left: both runs still running (neither failed nor finished), nothing committed.
            await using (var database = new SleepTimeDatabase(new StorageOptions { SqlitePath = data }))
            {
                var runs = new RunStore(database);
                Assert.Equal(RunStatus.Running, (await runs.GetAsync("default", contextRun))!.Status);
                Assert.Equal(RunStatus.Running, (await runs.GetAsync("default", agentRun))!.Status);
            }

            await using var second = await ServerProcess.StartAsync(["--data", data], environment, AdminKey);
            using var restarted = second.Client();
            var context = await WaitFinalAsync(restarted, $"/api/runs/{contextRun}");
            var agentRunView = await WaitFinalAsync(restarted, $"/api/runs/{agentRun}");
            Assert.Equal(("succeeded", 2), (context.GetProperty("status").GetString(), context.GetProperty("attempt").GetInt32()));
            Assert.Equal(("succeeded", 2), (agentRunView.GetProperty("status").GetString(), agentRunView.GetProperty("attempt").GetInt32()));
            Assert.Equal(1, (await restarted.GetOkAsync("/api/contexts/doc")).GetProperty("learned_version").GetInt64());
            Assert.Single(BlockText.Lines(await restarted.BlockValueAsync(blockId)), l => l == SlowSleepModel.Fact(1));
        }
        finally
        {
            foreach (var file in new[] { data, data + "-wal", data + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static async Task<System.Text.Json.JsonElement> WaitFinalAsync(HttpClient client, string path)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var run = await client.GetOkAsync(path);
            if (run.GetProperty("status").GetString() is not ("queued" or "running"))
            {
                return run;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"{path} did not finish: {run}");
            await Task.Delay(50);
        }
    }
}
