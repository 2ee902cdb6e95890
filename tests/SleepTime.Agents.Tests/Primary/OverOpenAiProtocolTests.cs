using System.Text;
using System.Text.Json;
using SleepTime.Agents.Tests.Support;
using SleepTime.Testing;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Agents.Tests.Primary;

/// <summary>The primary agent and a sleep-time agent over the real OpenAI SDK and chat completions protocol.</summary>
public sealed class OverOpenAiProtocolTests : IAsyncLifetime
{
    private FakeOpenAiServer server = null!;

    public async Task InitializeAsync() => server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_streamed_turn_completes_while_a_sleep_time_run_is_in_flight()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sleepModel = new ScriptedChatClient(_ => ScriptedReply.ToolCalls(("memory_finish_edits", null))).Then(async (_, ct) =>
        {
            inFlight.SetResult();
            await release.Task.WaitAsync(ct);
            return ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null));
        });
        await using var world = await AgentWorld.CreateAsync(sleepModel, schedule: AgentWorld.ManualOnly with { EveryTurns = 1 });
        server.Enqueue(FakeReply.Text("Noted, you like tea."), FakeReply.Text("Hello again, Ada."));
        var agent = world.Primary(server.CreateChatClient("primary-model"));

        await agent.SendAsync("I like tea.");
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var text = new StringBuilder();
        AgentTurn? completed = null;
        var pieces = 0;
        await foreach (var update in agent.SendStreamingAsync("Hi!"))
        {
            text.Append(update.Text);
            pieces += update.Update is null ? 0 : 1;
            completed ??= update.Completed;
        }

        Assert.Equal("Hello again, Ada.", text.ToString());
        Assert.True(pieces > 2);
        Assert.NotNull(completed);
        Assert.Equal("Hello again, Ada.", completed.AssistantMessage.Text);
        Assert.Equal(1, completed.BlockVersions[world.Human.Id]);
        Assert.True(server.ChatRequests[1].Stream);
        Assert.Equal(RunStatus.Running, world.Runs()[^1].Status);

        release.SetResult();
        await world.IdleAsync();
        Assert.Equal("Name: Ada\nLikes tea", (await world.HumanNowAsync()).Value);

        // The turn taken during the run was queued behind it and read afterwards.
        Assert.All(world.Runs(), r => Assert.Equal((TriggerKinds.Turns, RunStatus.Succeeded), (r.Trigger, r.Status)));
        Assert.Equal(new SleepTimeWatermark(4, 0), await world.WatermarkAsync());
    }

    [Fact]
    public async Task A_sleep_time_agent_edits_blocks_over_the_real_protocol()
    {
        server.Enqueue(
            FakeReply.ToolCalls(("memory_replace", JsonSerializer.Serialize(new { label = "human", old_text = "Name: Ada", new_text = "Name: Ada Lovelace" }))),
            FakeReply.ToolCalls(("memory_insert", JsonSerializer.Serialize(new { label = "nope", text = "x" }))),
            FakeReply.ToolCalls(("memory_finish_edits", "{}")));
        await using var world = await AgentWorld.CreateAsync(server.CreateChatClient("sleep-model"));
        await world.TalkAsync("Call me by my full name, Ada Lovelace.");

        var run = await world.RunNowAsync();

        Assert.Equal((RunStatus.Succeeded, 1), (run.Status, run.ToolErrors));
        Assert.Equal("Name: Ada Lovelace", (await world.HumanNowAsync()).Value);
        Assert.Equal(new TokenUsage(3 * FakeReply.DefaultPromptTokens, 3 * FakeReply.DefaultCompletionTokens), run.Usage);
        var requests = server.ChatRequests;
        Assert.Equal(["memory_insert", "memory_replace", "memory_rethink", "memory_finish_edits"], requests[0].Tools.Select(t => t.Name));
        Assert.Contains("Block 'human' updated", requests[1].Messages.Single(m => m.Role == "tool").Content, StringComparison.Ordinal);
        Assert.Contains("Error: there is no block labelled 'nope'", requests[2].Messages.Last(m => m.Role == "tool").Content, StringComparison.Ordinal);
        Assert.StartsWith("sleep-model", run.Model, StringComparison.Ordinal);
    }
}
