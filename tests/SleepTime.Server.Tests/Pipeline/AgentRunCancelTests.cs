using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SleepTime.Testing;

namespace SleepTime.Server.Tests.Pipeline;

/// <summary>
/// A sleep-time agent's run is a row of the one run store: <c>/api/runs/{id}/cancel</c> stops it mid-call with nothing
/// committed, and <c>/api/runs</c> lists agents' and contexts' runs with one status casing.
/// </summary>
public sealed class AgentRunCancelTests
{
    private static readonly string[] Statuses = ["queued", "running", "succeeded", "failed", "cancelled", "skipped"];

    [Fact]
    public async Task Cancelling_a_running_agent_run_ends_it_cancelled_with_nothing_committed()
    {
        var called = new TaskCompletionSource();
        var neverReleased = new TaskCompletionSource();
        var sleep = SleepModels.Gated(called, neverReleased.Task, ("memory_insert", new { label = "human", text = "Keeps bees" }), ("memory_finish_edits", null));
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var client = factory.Client();
        var (agentId, blockId) = await client.CreateAgentAsync();
        var sleeperId = await client.CreateSleeperAsync(agentId, new { every_turns = 0 });
        await client.SendAsync(agentId, "I keep bees.");
        var before = await client.BlockAsync(blockId);

        var runId = (await client.TriggerAsync(sleeperId)).Id();
        await called.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("running", (await client.GetOkAsync($"/api/runs/{runId}")).Status());
        var cancel = await client.PostAsJsonAsync($"/api/runs/{runId}/cancel", new { }, ServerFactory.Json);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);

        // The model call is still blocked on its gate: only the cancel can end the run.
        var run = await client.WaitForSleepTimeRunAsync(runId);
        Assert.Equal(("cancelled", "agent"), (run.Status(), run.GetProperty("kind").GetString()));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("change_set_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("read_to").ValueKind);
        var after = await client.BlockAsync(blockId);
        Assert.Equal(before.GetProperty("version").GetInt64(), after.GetProperty("version").GetInt64());
        Assert.Equal(before.GetProperty("value").GetString(), after.GetProperty("value").GetString());
        Assert.Empty((await client.GetOkAsync($"/api/agents/{agentId}/changes")).EnumerateArray());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/runs/{runId}/cancel", new { }, ServerFactory.Json)).StatusCode);
    }

    [Fact]
    public async Task The_runs_list_shows_agent_and_context_runs_with_one_status_casing()
    {
        // One sleep model for both strategies: the paper's whole-block tools for the context, the line-edit tools for the agent.
        var sleep = new ScriptedChatClient(call => call.Options?.Tools?.Any(t => t.Name == "rethink_memory") == true
            ? ScriptedReply.RethinkAndFinish("Ann has 3 apples.")
            : SleepModels.Finish());
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var client = factory.Client();
        var (agentId, _) = await client.CreateAgentAsync();
        var sleeperId = await client.CreateSleeperAsync(agentId, new { every_turns = 0 });
        await client.SendAsync(agentId, "I keep bees.");
        var agentRun = await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).Id());
        await client.PostOkAsync("/api/contexts", new { id = "notes", kind = "document", text = "Ann has 3 apples.", schedule = new { on_change = false } });
        var contextRun = await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/notes/runs", new { })).Id());
        // A queued run too: its status is written by a different path than a finished one's.
        await client.PostOkAsync("/api/contexts", new { id = "later", kind = "document", text = "Bob has 2 pears.", schedule = new { debounce_seconds = 3600 } });

        var agents = (await client.GetOkAsync("/api/runs?kind=agent")).EnumerateArray().ToArray();
        var all = (await client.GetOkAsync("/api/runs")).EnumerateArray().ToArray();

        var listedAgentRun = Assert.Single(agents);
        Assert.Equal((agentRun.Id(), "agent", sleeperId, agentId), (listedAgentRun.Id(), listedAgentRun.GetProperty("kind").GetString(), listedAgentRun.GetProperty("sleeper_id").GetString(), listedAgentRun.GetProperty("memory_id").GetString()));
        Assert.Equal(3, all.Length);
        Assert.Contains(all, r => r.Id() == agentRun.Id());
        Assert.Contains(all, r => r.Id() == contextRun.Id() && r.GetProperty("kind").GetString() == "context");
        Assert.Contains(all, r => r.Status() == "queued" && r.GetProperty("sleeper_id").GetString() == "later");
        Assert.All(all, r => Assert.Contains(r.Status(), Statuses));
        Assert.Equal(["succeeded"], all.Where(r => r.Status() != "queued").Select(r => r.Status()).Distinct());
        Assert.Equal(agentRun.Status(), (await client.GetOkAsync($"/api/agents/{agentId}/sleeptime-runs")).EnumerateArray().Single().Status());
    }
}
