using System.Text.Json;
using System.Net;
using System.Net.Http.Json;
using SleepTime.Testing;

namespace SleepTime.Server.Tests;

public sealed class ContextsApiTests : IAsyncLifetime
{
    private readonly ServerFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Contexts_can_be_created_appended_replaced_listed_and_deleted()
    {
        var client = factory.Client();
        var created = await client.PostOkAsync("/api/contexts", new { id = "chat", kind = "conversation", content = new[] { new { role = "user", text = "hi" } } });
        Assert.Equal(1, created.GetProperty("version").GetInt64());
        Assert.Equal("conversation", created.GetProperty("kind").GetString());

        var appended = await client.PostOkAsync("/api/contexts/chat/append", new { content = new[] { new { role = "assistant", text = "hello" } } });
        Assert.Equal(2, appended.GetProperty("version").GetInt64());
        Assert.Equal(2, appended.GetProperty("turns").GetInt64());

        var replaced = await (await client.PutAsJsonAsync("/api/contexts/chat", new { content = new[] { new { role = "user", text = "new start" } } })).JsonAsync();
        Assert.Equal(3, replaced.GetProperty("base_version").GetInt64());

        await client.PostOkAsync("/api/contexts", new { id = "doc", text = "A document." });
        var page1 = await client.GetOkAsync("/api/contexts?limit=1");
        Assert.Single(page1.GetProperty("items").EnumerateArray());
        var cursor = page1.GetProperty("next_cursor").GetString();
        var page2 = await client.GetOkAsync($"/api/contexts?limit=1&cursor={cursor}");
        Assert.Equal("doc", page2.GetProperty("items")[0].GetProperty("id").GetString());

        var fetched = await client.GetOkAsync("/api/contexts/chat");
        Assert.Equal("new start", fetched.GetProperty("entries")[0].GetProperty("text").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/contexts/chat")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/contexts/chat")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/contexts/chat")).StatusCode);
    }

    [Fact]
    public async Task A_sleep_run_commits_a_learned_context_with_history_diff_and_provenance()
    {
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "math", text = "x = 3. y = 2x.", schedule = new { on_change = false } });
        var run = await client.PostOkAsync("/api/contexts/math/runs", new { });
        var done = await client.WaitForRunAsync(run.GetProperty("id").GetString()!);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(1, done.GetProperty("learned_version").GetInt64());
        Assert.True(done.GetProperty("usage").GetProperty("total_tokens").GetInt64() > 0);

        var learned = await client.GetOkAsync("/api/contexts/math/learned");
        Assert.StartsWith("Learned: y = 6.", learned.GetProperty("text").GetString());
        Assert.Equal(1, learned.GetProperty("provenance").GetProperty("source_version").GetInt64());

        await client.PostOkAsync("/api/contexts/math/append", new { text = "z = y + 1." });
        var second = await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/math/runs", new { })).GetProperty("id").GetString()!);
        Assert.Equal(2, second.GetProperty("learned_version").GetInt64());
        Assert.Equal(2, (await client.GetOkAsync("/api/contexts/math/learned/history")).GetArrayLength());
        var diff = await client.GetOkAsync("/api/contexts/math/learned/diff?from=1&to=2");
        Assert.Contains(diff.GetProperty("lines").EnumerateArray(), l => l.GetProperty("op").GetString() == "+");
        Assert.Equal(2, (await client.GetOkAsync("/api/contexts/math/learned/2/provenance")).GetProperty("source_version").GetInt64());
        Assert.Equal(2, (await client.GetOkAsync("/api/contexts/math")).GetProperty("processed_version").GetInt64());
    }

    [Fact]
    public async Task Triggers_during_a_debounce_window_coalesce_into_one_run()
    {
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "busy", text = "start", schedule = new { debounce_seconds = 3600 } });
        for (var i = 0; i < 100; i++)
        {
            await client.PostOkAsync("/api/contexts/busy/append", new { text = $"change {i}" });
        }

        var queued = (await client.GetOkAsync("/api/contexts/busy/runs")).EnumerateArray().ToArray();
        Assert.Single(queued);
        Assert.Equal("queued", queued[0].GetProperty("status").GetString());
        Assert.Equal(100, queued[0].GetProperty("coalesced").GetInt32());

        // A manual trigger joins the waiting run and makes it due now.
        var manual = await client.PostOkAsync("/api/contexts/busy/runs", new { });
        Assert.Equal(queued[0].GetProperty("id").GetString(), manual.GetProperty("id").GetString());
        var runs = await client.WaitForIdleAsync("busy");
        Assert.Single(runs);
        Assert.Equal("succeeded", runs[0].GetProperty("status").GetString());
        Assert.Equal(101, runs[0].GetProperty("context_version").GetInt64());
    }

    [Fact]
    public async Task Queries_answer_from_the_learned_context_and_record_the_version_used()
    {
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "q", text = "x = 3", schedule = new { on_change = false } });
        var before = await client.PostOkAsync("/api/contexts/q/queries", new { question = "x?", budget = new { verbosity = 0 } });
        Assert.Equal(JsonValueKindNull, before.GetProperty("learned_version").ValueKind);

        await client.PostOkAsync("/api/contexts/q/runs", new { });
        var answer = await client.PostOkAsync("/api/contexts/q/queries", new { question = "x?", wait_for_run = true, wait_timeout_seconds = 60 });
        Assert.Equal("42", answer.GetProperty("final_answer").GetString());
        Assert.Equal(1, answer.GetProperty("learned_version").GetInt64());
        Assert.Equal("sleep_time", answer.GetProperty("arm").GetString());

        var baseline = await client.PostOkAsync("/api/contexts/q/queries", new { question = "x?", arm = "baseline", budget = new { verbosity = 4, max_tokens = 100, reasoning_effort = "low" } });
        Assert.Equal(JsonValueKindNull, baseline.GetProperty("learned_version").ValueKind);
        Assert.Equal(3, (await client.GetOkAsync("/api/contexts/q/queries")).GetArrayLength());

        var usage = await client.GetOkAsync("/api/contexts/q/usage");
        Assert.Equal(2, usage.GetProperty("queries_answered").GetInt64());
        Assert.Equal(1, usage.GetProperty("baseline_queries").GetInt64());
        Assert.True(usage.GetProperty("sleep_tokens").GetProperty("total_tokens").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Number, usage.GetProperty("amortized_cost_per_query").ValueKind);
        Assert.Equal(JsonValueKind.Number, usage.GetProperty("estimated_savings_per_query").ValueKind);
        Assert.Equal(2, (await client.GetOkAsync("/api/usage")).GetProperty("queries_answered").GetInt64());
    }

    [Theory]
    [InlineData("""{"question":"x?","budget":{"verbosity":9}}""", 400)]
    [InlineData("""{"question":"x?","budget":{"verbosity":"high"}}""", 400)]
    [InlineData("""{"question":"x?","budget":{"max_tokens":0}}""", 400)]
    [InlineData("""{"question":"x?","budget":{"max_tokens":99999999999999}}""", 400)]
    [InlineData("""{"question":"x?","budget":{"reasoning_effort":"extreme"}}""", 400)]
    [InlineData("""{"question":"x?","arm":"oracle"}""", 400)]
    [InlineData("""{"question":""}""", 400)]
    [InlineData("""{"question":"x?","wait_for_run":true,"wait_timeout_seconds":-1}""", 400)]
    [InlineData("""{"question":""", 400)]
    [InlineData("""[1,2,3]""", 400)]
    public async Task Bad_queries_are_4xx_problems(string body, int status)
    {
        var client = factory.Client();
        await client.PostAsJsonAsync("/api/contexts", new { id = "bad", text = "x = 3", schedule = new { on_change = false } }, ServerFactory.Json);
        var response = await client.PostAsync("/api/contexts/bad/queries", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_run_that_would_cross_its_daily_token_cap_stops_mid_run_and_the_next_is_skipped()
    {
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "capped", text = "x = 3", schedule = new { on_change = false, daily_token_cap = 1 } });

        // The first model call already crosses the cap: the run stops there, commits nothing and is not retried.
        var first = await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/capped/runs", new { })).GetProperty("id").GetString()!);
        Assert.Equal(("failed", "over_budget", 1), (first.GetProperty("status").GetString(), first.GetProperty("reason").GetString(), first.GetProperty("attempt").GetInt32()));
        Assert.True(first.GetProperty("usage").GetProperty("total_tokens").GetInt64() > 1);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/contexts/capped/learned")).StatusCode);

        // Now the cap is spent: the next run is skipped before any model call.
        await client.PostOkAsync("/api/contexts/capped/append", new { text = "more" });
        var second = await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/capped/runs", new { })).GetProperty("id").GetString()!);
        Assert.Equal("skipped", second.GetProperty("status").GetString());
        Assert.StartsWith("over_budget", second.GetProperty("reason").GetString());
        Assert.Equal(0, second.GetProperty("usage").GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public async Task A_context_schedule_sets_every_sleep_option_the_library_has()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.Text("Derived: y = 6."));
        await using var server = new ServerFactory(sleepModel: model);
        var client = server.Client();
        var schedule = new { on_change = false, variant = "math", mode = "plain_text", reasoning_effort = "high", runs = 2, block_limit = 500, max_output_tokens = 300 };
        await client.PostOkAsync("/api/contexts", new { id = "opts", text = "x = 3. y = 2x.", schedule });
        Assert.Equal("plain_text", (await client.GetOkAsync("/api/contexts/opts/schedule")).GetProperty("mode").GetString());

        var run = await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/opts/runs", new { })).GetProperty("id").GetString()!);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        var learned = await client.GetOkAsync("/api/contexts/opts/learned");
        Assert.Equal(2, learned.GetProperty("blocks").GetArrayLength()); // k = 2 runs, concatenated
        Assert.Equal(500, learned.GetProperty("blocks")[0].GetProperty("limit").GetInt32());
        Assert.Equal("sleep-math", learned.GetProperty("provenance").GetProperty("prompt_id").GetString());
        Assert.Equal(2, model.CallCount);
        Assert.All(model.Calls, call =>
        {
            Assert.Null(call.Options?.Tools); // plain text: no tools offered
            Assert.Equal(Microsoft.Extensions.AI.ReasoningEffort.High, call.Options?.Reasoning?.Effort);
            Assert.Equal(300, call.Options?.MaxOutputTokens);
        });
    }

    [Fact]
    public async Task Queued_runs_can_be_cancelled_and_finished_ones_cannot()
    {
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "cancel", text = "x", schedule = new { debounce_seconds = 3600 } });
        var run = (await client.GetOkAsync("/api/contexts/cancel/runs"))[0];
        var id = run.GetProperty("id").GetString();
        var cancelled = await client.PostOkAsync($"/api/runs/{id}/cancel", new { });
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/runs/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/runs/run_nope/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task Events_stream_reports_the_run_and_the_learned_context_update()
    {
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "ev", text = "x = 3", schedule = new { on_change = false } });
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var response = await client.GetAsync("/api/contexts/ev/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        Assert.Equal("event: ready", await reader.ReadLineAsync(cts.Token));
        await client.PostOkAsync("/api/contexts/ev/runs", new { });
        var seen = new List<string>();
        while (!seen.Contains("memory.updated"))
        {
            var line = await reader.ReadLineAsync(cts.Token);
            if (line is not null && line.StartsWith("event: ", StringComparison.Ordinal))
            {
                seen.Add(line["event: ".Length..]);
            }
        }

        Assert.Equal(["run.queued", "run.started", "run.succeeded", "memory.updated"], seen);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
