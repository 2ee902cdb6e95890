using System.Text.Json;
using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.Server.Tests.Usage;

/// <summary>
/// What the provider reported beyond input and output (cached input, reasoning, and whether anything was counted
/// locally) reaches the ledger and every usage view; the amortized cost per query is computed from the sums.
/// </summary>
public sealed class UsageAccountingTests
{
    [Fact]
    public async Task Cached_reasoning_and_estimated_round_trip_into_every_usage_view()
    {
        var sleep = new ScriptedChatClient(_ => WithUsage(ScriptedReply.RethinkAndFinish("Learned: x = 3."), input: 100, output: 20, reasoning: 7, cached: 40));
        var test = new ScriptedChatClient(
            ScriptedReply.Text("The answer is 42.", inputTokens: 1000, outputTokens: 10, reasoningTokens: 4, cachedTokens: 600),
            ScriptedReply.Text("The answer is 42.", inputTokens: 1001, outputTokens: 11, reasoningTokens: 5, cachedTokens: 601));
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: test);
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "acc", text = "x = 3", schedule = new { on_change = false } });
        var run = await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/acc/runs", new { })).GetProperty("id").GetString()!);
        var calls = sleep.CallCount;
        var query1 = await client.PostOkAsync("/api/contexts/acc/queries", new { question = "x?" });
        var query2 = await client.PostOkAsync("/api/contexts/acc/queries", new { question = "x again?" });

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        AssertUsage(run.GetProperty("usage"), 100 * calls, 20 * calls, 7 * calls, 40 * calls, estimated: false);
        AssertUsage(query1.GetProperty("usage"), 1000, 10, 4, 600, estimated: false);
        AssertUsage((await client.GetOkAsync($"/api/contexts/acc/queries/{query2.GetProperty("id").GetString()}")).GetProperty("usage"), 1001, 11, 5, 601, estimated: false);
        foreach (var url in new[] { "/api/usage", "/api/contexts/acc/usage" })
        {
            var usage = await client.GetOkAsync(url);
            AssertUsage(usage.GetProperty("sleep_tokens"), 100 * calls, 20 * calls, 7 * calls, 40 * calls, estimated: false);
            // Test-phase reasoning tokens are summed, not dropped.
            AssertUsage(usage.GetProperty("test_tokens"), 2001, 21, 9, 1201, estimated: false);
        }
    }

    [Fact]
    public async Task A_reply_without_provider_usage_marks_the_query_and_the_totals_estimated()
    {
        var test = new ScriptedChatClient(ScriptedReply.Text("The answer is 42."), ScriptedReply.TextWithoutUsage("The answer is 42."));
        await using var factory = new ServerFactory(testModel: test);
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "est", text = "x = 3", schedule = new { on_change = false } });

        var reported = await client.PostOkAsync("/api/contexts/est/queries", new { question = "x?", arm = "context_only" });
        Assert.False((await client.GetOkAsync("/api/contexts/est/usage")).GetProperty("test_tokens").GetProperty("estimated").GetBoolean());
        var counted = await client.PostOkAsync("/api/contexts/est/queries", new { question = "x?", arm = "context_only" });

        Assert.False(reported.GetProperty("usage").GetProperty("estimated").GetBoolean());
        Assert.True(counted.GetProperty("usage").GetProperty("estimated").GetBoolean());
        Assert.True(counted.GetProperty("usage").GetProperty("input_tokens").GetInt64() > 0);
        Assert.True((await client.GetOkAsync("/api/contexts/est/usage")).GetProperty("test_tokens").GetProperty("estimated").GetBoolean());
        Assert.True((await client.GetOkAsync("/api/usage")).GetProperty("test_tokens").GetProperty("estimated").GetBoolean());
    }

    [Fact]
    public async Task The_amortized_cost_per_query_is_computed_from_the_sums_not_from_truncated_per_query_tokens()
    {
        // Sleep: one call, 20 output tokens. Queries: 10, 10 and 11 output tokens (31 in all). At t = 10 (output
        // tokens priced): (31 × 10 + 20 × calls) / 3. Truncating 31 / 3 to 10 tokens per query would give 100 + 20 × calls / 3.
        var sleep = new ScriptedChatClient(_ => WithUsage(ScriptedReply.RethinkAndFinish("Learned: x = 3."), input: 100, output: 20, reasoning: 0, cached: 0));
        var test = new ScriptedChatClient(
            ScriptedReply.Text("The answer is 42.", outputTokens: 10),
            ScriptedReply.Text("The answer is 42.", outputTokens: 10),
            ScriptedReply.Text("The answer is 42.", outputTokens: 11));
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: test);
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "am", text = "x = 3", schedule = new { on_change = false } });
        await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/am/runs", new { })).GetProperty("id").GetString()!);
        var sleepOutput = 20.0 * sleep.CallCount;
        for (var i = 0; i < 3; i++)
        {
            await client.PostOkAsync("/api/contexts/am/queries", new { question = $"x {i}?" });
        }

        var usage = await client.GetOkAsync("/api/contexts/am/usage");

        Assert.Equal(10, usage.GetProperty("cost_ratio").GetDouble());
        Assert.Equal((310 + sleepOutput) / 3, usage.GetProperty("amortized_cost_per_query").GetDouble(), 9);
        Assert.NotEqual(100 + (sleepOutput / 3), usage.GetProperty("amortized_cost_per_query").GetDouble(), 3);
    }

    private static ChatResponse WithUsage(ChatResponse response, long input, long output, long reasoning, long cached)
    {
        response.Usage = new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = output,
            TotalTokenCount = input + output,
            ReasoningTokenCount = reasoning,
            CachedInputTokenCount = cached,
        };
        return response;
    }

    private static void AssertUsage(JsonElement usage, long input, long output, long reasoning, long cached, bool estimated) =>
        Assert.Equal(
            (input, output, reasoning, cached, estimated),
            (usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64(), usage.GetProperty("reasoning_tokens").GetInt64(),
                usage.GetProperty("cached_input_tokens").GetInt64(), usage.GetProperty("estimated").GetBoolean()));
}
