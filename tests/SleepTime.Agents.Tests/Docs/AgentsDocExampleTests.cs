using SleepTime.Testing;

namespace SleepTime.Agents.Tests.Docs;

/// <summary>The example of docs/AGENTS.md, with scripted models, so it keeps compiling and working.</summary>
public sealed class AgentsDocExampleTests
{
    [Fact]
    public async Task The_documented_example_runs()
    {
        var strongModel = new ScriptedChatClient(ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Moved to Bergen in April 2025" }), ("memory_finish_edits", null)));
        var fastModel = new ScriptedChatClient(ScriptedReply.Text("Welcome to Bergen!"));
        var output = new System.Text.StringBuilder();

        var stores = AgentStores.InMemory();
        var human = await stores.Blocks.CreateAsync(new NewBlock("human", "Name: Ada", 2000, "Facts about the user"), author: "user");
        var agent = await stores.Agents.CreateAgentAsync("assistant", "You are a helpful assistant.", [human.Id]);
        var sleeper = await stores.Agents.CreateSleepTimeAgentAsync(
            agent.Id, "memory", SchedulePolicy.AgentDefault with { EveryTurns = 1, IdleSeconds = 120, DailyTokenCap = 200_000 });

        await using var scheduler = new InProcessSleepScheduler(stores);
        scheduler.Register(sleeper.Id, strongModel);

        var primary = new PrimaryAgent(agent.Id, fastModel, stores, new PrimaryAgentOptions { Scheduler = scheduler });
        await foreach (var update in primary.SendStreamingAsync("I moved to Bergen last week."))
        {
            output.Append(update.Text);
        }

        await scheduler.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var changeSet in await stores.ChangeSets.ListAsync(agent.Id))
        {
            output.Append($"\n{changeSet.Status}: {string.Join("\n", changeSet.Blocks.Select(b => b.Diff))}");
        }

        foreach (var run in scheduler.Runs(sleeper.Id))
        {
            output.Append($"{run.Trigger} run {run.Status}: {run.Reason}");
        }

        Assert.Equal("Welcome to Bergen!\nCommitted: --- a/human\n+++ b/human\n@@ -1 +1,2 @@\n Name: Ada\n+Moved to Bergen in April 2025\nturns run succeeded: Committed 1 block change(s).", output.ToString());
    }
}
