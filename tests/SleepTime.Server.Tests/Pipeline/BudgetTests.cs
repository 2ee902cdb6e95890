using System.Net;
using System.Text.Json;
using SleepTime.Testing;

namespace SleepTime.Server.Tests.Pipeline;

/// <summary>
/// One ledger and one budget check for agents as for contexts: agent sleep tokens and primary-agent turns appear in
/// <c>/api/usage</c>; a tenant cap and a sleep-time agent's own cap skip a run when already spent, and stop a run that
/// would cross them mid-run, ending it <c>over_budget</c> with nothing committed and no retry.
/// </summary>
public sealed class BudgetTests
{
    // Every scripted sleep call below reports 100 tokens (80 in, 20 out).
    private const long TokensPerCall = 100;

    [Fact]
    public async Task Agent_sleep_tokens_and_primary_agent_turns_appear_in_the_tenant_usage()
    {
        await using var factory = new ServerFactory(sleepModel: InsertingThenFinishing(facts: 1), testModel: SleepModels.Primary());
        var client = factory.Client();
        var (agentId, _) = await client.CreateAgentAsync();
        var sleeperId = await client.CreateSleeperAsync(agentId, new { every_turns = 0 });
        await client.SendAsync(agentId, "I keep bees.");

        var run = await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).Id());
        Assert.Equal("succeeded", run.Status());
        Assert.Equal(2 * TokensPerCall, run.GetProperty("usage").GetProperty("total_tokens").GetInt64());

        var usage = await client.GetOkAsync("/api/usage");
        Assert.Equal(2 * TokensPerCall, usage.GetProperty("sleep_tokens").GetProperty("total_tokens").GetInt64());
        Assert.Equal(2 * TokensPerCall, usage.GetProperty("sleep_tokens_today").GetInt64());
        Assert.Equal(1, usage.GetProperty("sleep_runs").GetInt64());
        // The primary agent's turn: one scripted reply of 100 input and 20 output tokens, booked as test-time compute.
        Assert.Equal(120, usage.GetProperty("test_tokens").GetProperty("total_tokens").GetInt64());
        Assert.Equal(1, usage.GetProperty("queries_answered").GetInt64());
    }

    [Theory]
    [InlineData("tenant")]
    [InlineData("agent")]
    public async Task A_run_when_the_cap_is_already_spent_is_skipped_over_budget(string cap)
    {
        // The first run spends exactly the cap (two calls), so the second finds nothing left.
        var sleep = InsertingThenFinishing(facts: 1);
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var (client, sleeperId, agentId, blockId) = await CappedSleeperAsync(factory, cap, 2 * TokensPerCall);
        await client.SendAsync(agentId, "I keep bees.");
        Assert.Equal("succeeded", (await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).Id())).Status());
        var block = await client.BlockAsync(blockId);
        var calls = sleep.CallCount;

        await client.SendAsync(agentId, "And a goat.");
        var skipped = await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).Id());

        Assert.Equal("skipped", skipped.Status());
        Assert.StartsWith("over_budget", skipped.GetProperty("reason").GetString());
        Assert.Contains(cap == "tenant" ? "the tenant spent 200 of its 200" : "the sleep-time agent spent 200 of its 200", skipped.GetProperty("reason").GetString());
        Assert.Equal(calls, sleep.CallCount);
        Assert.Equal(block.GetProperty("version").GetInt64(), (await client.BlockAsync(blockId)).GetProperty("version").GetInt64());
    }

    [Theory]
    [InlineData("tenant")]
    [InlineData("agent")]
    public async Task A_run_that_would_cross_the_cap_is_stopped_mid_run_and_commits_nothing(string cap)
    {
        // Three inserts before finishing: four calls, 400 tokens; the cap of 150 is crossed by the second call.
        var sleep = InsertingThenFinishing(facts: 3);
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var (client, sleeperId, agentId, blockId) = await CappedSleeperAsync(factory, cap, 150);
        await client.SendAsync(agentId, "I keep bees, a goat and a cat.");
        var before = await client.BlockAsync(blockId);

        var run = await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).Id());

        Assert.Equal(("failed", "over_budget"), (run.Status(), run.GetProperty("reason").GetString()));
        Assert.Equal(1, run.GetProperty("attempt").GetInt32()); // not retried: a retry would cross the cap again
        Assert.Equal(2, sleep.CallCount);
        Assert.Equal(2 * TokensPerCall, run.GetProperty("usage").GetProperty("total_tokens").GetInt64());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("change_set_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("read_to").ValueKind);
        var after = await client.BlockAsync(blockId);
        Assert.Equal(before.GetProperty("version").GetInt64(), after.GetProperty("version").GetInt64());
        Assert.Equal(before.GetProperty("value").GetString(), after.GetProperty("value").GetString());
        Assert.Empty((await client.GetOkAsync($"/api/agents/{agentId}/changes")).EnumerateArray());
        // What the stopped run spent is still booked: the cap counts it.
        Assert.Equal(2 * TokensPerCall, (await client.GetOkAsync("/api/usage")).GetProperty("sleep_tokens_today").GetInt64());
    }

    [Fact]
    public async Task A_context_run_that_would_cross_its_cap_is_stopped_mid_run_and_no_learned_context_is_created()
    {
        // The paper's loop rethinking again and again without finishing, 100 tokens a call.
        var sleep = new ScriptedChatClient(call => ScriptedReply.ToolCallsWithUsage(80, 20, ("rethink_memory", new { new_memory = $"Ann has 3 apples (thought {call.Index})." })));
        await using var factory = new ServerFactory(sleepModel: sleep);
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "capped", kind = "document", text = "Ann has 3 apples.", schedule = new { on_change = false, daily_token_cap = 150 } });

        var run = await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/capped/runs", new { })).Id());

        Assert.Equal(("failed", "over_budget"), (run.Status(), run.GetProperty("reason").GetString()));
        Assert.Equal(1, run.GetProperty("attempt").GetInt32());
        Assert.Equal(2, sleep.CallCount);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("learned_version").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/contexts/capped/learned")).StatusCode);
        Assert.Equal(0, (await client.GetOkAsync("/api/contexts/capped")).GetProperty("processed_version").GetInt64());
        Assert.Equal(2 * TokensPerCall, (await client.GetOkAsync("/api/contexts/capped/usage")).GetProperty("sleep_tokens_today").GetInt64());
    }

    /// <summary>A sleep model that inserts one fact per call, <paramref name="facts"/> times, then finishes; 100 tokens a call.</summary>
    private static ScriptedChatClient InsertingThenFinishing(int facts) =>
        new(call => call.ToolResults.Count < facts
            ? ScriptedReply.ToolCallsWithUsage(80, 20, ("memory_insert", new { label = "human", text = $"Fact {call.ToolResults.Count + 1}" }))
            : ScriptedReply.ToolCallsWithUsage(80, 20, ("memory_finish_edits", null)));

    /// <summary>An agent with a sleep-time agent, capped at <paramref name="tokens"/> by its tenant or by its own daily budget.</summary>
    private static async Task<(HttpClient Client, string SleeperId, string AgentId, string BlockId)> CappedSleeperAsync(ServerFactory factory, string cap, long tokens)
    {
        var client = await factory.CappedTenantClientAsync("capped", cap == "tenant" ? tokens : null);
        var (agentId, blockId) = await client.CreateAgentAsync();
        var sleeperId = await client.CreateSleeperAsync(agentId, cap == "tenant" ? new { every_turns = 0 } : (object)new { every_turns = 0, daily_token_budget = tokens });
        return (client, sleeperId, agentId, blockId);
    }
}
