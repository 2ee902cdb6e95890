using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace SleepTime.Server.Tests.Processes;

/// <summary>Kills a real server process (<c>kill -9</c>) while sleep runs are in flight and restarts it on the same SQLite file.</summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const string AdminKey = "st_crash_test_admin_key";
    private const int Contexts = 12;

    [Fact]
    public async Task After_a_kill_mid_run_every_queued_run_completes_exactly_once_and_every_acknowledged_write_survives()
    {
        await using var model = await SlowSleepModel.StartAsync(TimeSpan.FromMilliseconds(400));
        var data = Path.Combine(Path.GetTempPath(), "sleeptime-crash-tests", Guid.NewGuid().ToString("N") + ".db");
        var environment = new Dictionary<string, string>(model.Environment)
        {
            ["SleepTime__Scheduling__Defaults__DebounceSeconds"] = "0",
            ["SleepTime__Scheduling__RetryBaseDelaySeconds"] = "0.1",
            ["SleepTime__Scheduling__MaxAttempts"] = "5",
            ["SleepTime__Server__RateLimitPerSecond"] = "0",
        };
        var acknowledged = new Acknowledged();
        try
        {
            await using (var first = await ServerProcess.StartAsync(["--data", data], environment, AdminKey))
            {
                using var client = first.Client();
                for (var i = 0; i < Contexts; i++)
                {
                    var id = $"c{i}";
                    var text = $"{SlowSleepModel.Marker(id)} fact 0";
                    var created = await client.PostOkAsync("/api/contexts", new { id, text });
                    acknowledged.Write(id, text, created.GetProperty("version").GetInt64());
                }

                using var stopWriting = new CancellationTokenSource();
                var writers = Enumerable.Range(0, Contexts).Select(i => WriteUntilStoppedAsync(client, $"c{i}", acknowledged, stopWriting.Token)).ToArray();

                // Kill only once runs are demonstrably in flight: the model is answering calls right now.
                await WaitUntilAsync(() => model.TotalCalls >= Contexts && model.InFlight > 0, "sleep runs in flight", first);
                await first.KillAsync();
                await stopWriting.CancelAsync();
                await Task.WhenAll(writers);
            }

            var callsBeforeRestart = model.TotalCalls;
            await using var second = await ServerProcess.StartAsync(["--data", data], environment, AdminKey);
            using var restarted = second.Client();
            await WaitUntilAsync(async () => await LiveRunsAsync(restarted) == 0, "every run final after the restart", second);

            var interrupted = 0;
            var totalRuns = 0;
            for (var i = 0; i < Contexts; i++)
            {
                var id = $"c{i}";
                var context = await restarted.GetOkAsync($"/api/contexts/{id}");
                var texts = context.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("text").GetString()).ToHashSet();
                Assert.All(acknowledged.TextsOf(id), text => Assert.Contains(text, texts));
                Assert.True(context.GetProperty("version").GetInt64() >= acknowledged.VersionOf(id));

                var runs = (await restarted.GetOkAsync($"/api/contexts/{id}/runs?limit=1000")).EnumerateArray().ToArray();
                Assert.All(runs, r => Assert.True(r.GetProperty("status").GetString() is "succeeded" or "skipped", $"{id}: {r}"));
                Assert.Equal(runs.Length, runs.Select(r => r.GetProperty("id").GetString()).Distinct().Count());
                Assert.All(acknowledged.RunsOf(id), runId => Assert.Contains(runs, r => r.GetProperty("id").GetString() == runId));
                interrupted += runs.Count(r => r.GetProperty("attempt").GetInt32() > 1);
                totalRuns += runs.Length;

                // Each succeeded run committed exactly one learned version, and the versions run 1..n without gaps or repeats.
                var history = (await restarted.GetOkAsync($"/api/contexts/{id}/learned/history")).EnumerateArray().ToArray();
                var versions = history.Select(h => h.GetProperty("version").GetInt64()).Order().ToList();
                Assert.Equal(Enumerable.Range(1, versions.Count).Select(v => (long)v), versions);
                var committedBy = runs.Where(r => r.GetProperty("status").GetString() == "succeeded").Select(r => r.GetProperty("learned_version").GetInt64()).Order().ToList();
                Assert.Equal(versions, committedBy);
                Assert.All(history, h => Assert.StartsWith($"memo of {id},", h.GetProperty("text").GetString()));

                // The last acknowledged change was learned: its run was queued before the 2xx, so it survived the kill.
                Assert.True(context.GetProperty("processed_version").GetInt64() >= acknowledged.VersionOf(id), $"{id}: {context}");
            }

            output.WriteLine($"{acknowledged.Count} acknowledged writes, {totalRuns} runs, {interrupted} interrupted by the kill, model calls {callsBeforeRestart} before and {model.TotalCalls - callsBeforeRestart} after the restart.");
            Assert.True(interrupted > 0, "No run was interrupted by the kill, so the test proved nothing; runs in flight were expected.");
            Assert.True(model.TotalCalls > callsBeforeRestart, "The restarted server made no model calls.");
        }
        finally
        {
            foreach (var file in new[] { data, data + "-wal", data + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Appends to the context and asks for runs until stopped or the server dies, recording what the server acknowledged.</summary>
    private static async Task WriteUntilStoppedAsync(HttpClient client, string id, Acknowledged acknowledged, CancellationToken stop)
    {
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            try
            {
                var text = $"{SlowSleepModel.Marker(id)} fact {n}";
                var response = await client.PostAsJsonAsync($"/api/contexts/{id}/append", new { text }, ServerFactory.Json, CancellationToken.None);
                if (!response.IsSuccessStatusCode)
                {
                    continue;
                }

                acknowledged.Write(id, text, (await response.JsonAsync()).GetProperty("version").GetInt64());
                if (n % 3 == 0)
                {
                    var run = await client.PostAsync($"/api/contexts/{id}/runs", null, CancellationToken.None);
                    if (run.IsSuccessStatusCode)
                    {
                        acknowledged.Run(id, (await run.JsonAsync()).GetProperty("id").GetString()!);
                    }
                }

                await Task.Delay(50, stop);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // The server was killed mid-request: this write was never acknowledged.
                return;
            }
        }
    }

    private static async Task<int> LiveRunsAsync(HttpClient client)
    {
        var queued = await client.GetOkAsync("/api/runs?status=queued&limit=1000");
        var running = await client.GetOkAsync("/api/runs?status=running&limit=1000");
        return queued.GetArrayLength() + running.GetArrayLength();
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what, ServerProcess server) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, server);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, ServerProcess server)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(45))
            {
                throw new TimeoutException($"Gave up waiting for {what}. Server output:\n{server.Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>What the server answered 2xx to, per context: appended texts, the latest version, run ids.</summary>
    private sealed class Acknowledged
    {
        private readonly ConcurrentDictionary<string, ConcurrentBag<string>> texts = new();
        private readonly ConcurrentDictionary<string, long> versions = new();
        private readonly ConcurrentDictionary<string, ConcurrentBag<string>> runs = new();

        public void Write(string id, string text, long version)
        {
            texts.GetOrAdd(id, _ => []).Add(text);
            versions.AddOrUpdate(id, version, (_, v) => Math.Max(v, version));
        }

        public int Count => texts.Values.Sum(t => t.Count);

        public void Run(string id, string runId) => runs.GetOrAdd(id, _ => []).Add(runId);

        public IEnumerable<string> TextsOf(string id) => texts.TryGetValue(id, out var t) ? t : [];

        public long VersionOf(string id) => versions.GetValueOrDefault(id);

        public IEnumerable<string> RunsOf(string id) => runs.TryGetValue(id, out var r) ? r : [];
    }
}
