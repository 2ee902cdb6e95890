using System.Net;
using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.Server.Tests;

public sealed class ReliabilityTests
{
    [Fact]
    public async Task With_a_model_failing_30_percent_of_calls_every_run_ends_final_with_a_reason_and_no_learned_context_is_corrupt()
    {
        var random = new Random(7);
        var gate = new Lock();
        var flaky = new ScriptedChatClient(call =>
        {
            bool fail;
            lock (gate)
            {
                fail = random.NextDouble() < 0.3;
            }

            return fail ? throw new HttpRequestException("fake model: 503") : ScriptedReply.RethinkAndFinish("memo " + call.LastUserText.Length);
        });
        await using var factory = new ServerFactory(sleepModel: flaky, settings: new() { ["SleepTime:Scheduling:MaxAttempts"] = "2" });
        var client = factory.Client();
        for (var i = 0; i < 12; i++)
        {
            await client.PostOkAsync("/api/contexts", new { id = $"f{i}", text = $"fact {i}", schedule = new { on_change = false } });
            for (var round = 0; round < 3; round++)
            {
                await client.PostOkAsync($"/api/contexts/f{i}/append", new { text = $"more {round}" });
                await client.PostOkAsync($"/api/contexts/f{i}/runs", new { });
            }
        }

        var statuses = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var runs = await client.WaitForIdleAsync($"f{i}");
            foreach (var run in runs)
            {
                var status = run.GetProperty("status").GetString()!;
                statuses.Add(status);
                // Skipped: a follow-up found the learned context already covering the latest version.
                Assert.True(status is "succeeded" or "failed" or "skipped", status);
                if (status == "failed")
                {
                    Assert.False(string.IsNullOrWhiteSpace(run.GetProperty("error").GetString()));
                }

                if (status == "skipped")
                {
                    Assert.False(string.IsNullOrWhiteSpace(run.GetProperty("reason").GetString()));
                }
            }

            var history = (await client.GetAsync($"/api/contexts/f{i}/learned/history")).StatusCode == HttpStatusCode.OK
                ? (await client.GetOkAsync($"/api/contexts/f{i}/learned/history")).EnumerateArray().ToArray()
                : [];
            var versions = history.Select(h => h.GetProperty("version").GetInt64()).Reverse().ToList();
            Assert.Equal(Enumerable.Range(1, versions.Count).Select(v => (long)v), versions);
            Assert.All(history, h => Assert.StartsWith("memo ", h.GetProperty("text").GetString()));
            var succeeded = runs.Count(r => r.GetProperty("status").GetString() == "succeeded");
            Assert.Equal(succeeded, versions.Count);
        }

        Assert.Contains("succeeded", statuses);
    }

    [Fact]
    public async Task Without_a_model_the_server_starts_runs_fail_with_the_reason_and_queries_are_503()
    {
        await using var factory = new ServerFactory(withModels: false);
        var client = factory.Client();
        var ready = await client.GetOkAsync("/ready");
        Assert.Equal("missing", ready.GetProperty("sleep_model").GetString());
        await client.PostOkAsync("/api/contexts", new { id = "nm", text = "x", schedule = new { on_change = false } });
        var run = await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/nm/runs", new { })).GetProperty("id").GetString()!);
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal("no_model", run.GetProperty("reason").GetString());
        var query = await client.PostAsync("/api/contexts/nm/queries", System.Net.Http.Json.JsonContent.Create(new { question = "?" }));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, query.StatusCode);
    }
}
