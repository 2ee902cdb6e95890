using SleepTime.Agents.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Agents.Tests.FailureModes;

/// <summary>Failure mode 1: every run is a visible record with status, reason, tokens, cost and error.</summary>
public sealed class SilentFailureTests
{
    [Fact]
    public async Task A_provider_error_is_a_failed_run_with_the_error_and_the_block_untouched()
    {
        var model = new ScriptedChatClient().ThenThrow(new SleepTime.Providers.ModelProviderException("The provider answered 500: upstream exploded", "OpenAI", 500));
        await using var world = await AgentWorld.CreateAsync(model);
        await world.TalkAsync("I like tea.");

        var run = await world.RunNowAsync();

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("upstream exploded", run.Error, StringComparison.Ordinal);
        Assert.NotNull(run.StartedAt);
        Assert.NotNull(run.FinishedAt);
        Assert.Null(run.ChangeSetId);
        Assert.Equal(1, (await world.HumanNowAsync()).Version);
        Assert.Equal(SleepTimeWatermark.Start, await world.WatermarkAsync());
        Assert.Equal([run.Id], world.Runs().Where(r => r.Status == RunStatus.Failed).Select(r => r.Id));
    }

    [Fact]
    public async Task A_sleep_time_agent_without_a_model_fails_visibly()
    {
        await using var world = await AgentWorld.CreateAsync(new ScriptedChatClient());
        var orphan = await world.Stores.Agents.CreateSleepTimeAgentAsync(world.Agent.Id, "no model", AgentWorld.ManualOnly);
        await world.TalkAsync("I like tea.");

        var queued = await world.Scheduler.TriggerAsync(SleeperKind.Agent, orphan.Id);
        await world.IdleAsync();
        var run = world.Run(queued.Id);

        Assert.Equal((RunStatus.Failed, "no_model", orphan.Id), (run.Status, run.Reason, run.SleeperId));
        Assert.Contains("No model is registered", run.Error, StringComparison.Ordinal);
        Assert.NotNull(run.FinishedAt);
        Assert.Equal(SleepTimeWatermark.Start, await world.Stores.Agents.GetWatermarkAsync(orphan.Id));
    }

    [Fact]
    public async Task A_run_with_nothing_new_is_skipped_with_a_reason_and_costs_nothing()
    {
        var model = new ScriptedChatClient();
        await using var world = await AgentWorld.CreateAsync(model);

        var run = await world.RunNowAsync();

        Assert.Equal(RunStatus.Skipped, run.Status);
        Assert.Equal("Nothing new since the last committed run.", run.Reason);
        Assert.Equal(TokenUsage.Zero, run.Usage);
        Assert.Equal(0, model.CallCount);
    }

    [Fact]
    public async Task A_successful_run_records_tokens_cost_model_and_what_it_did()
    {
        var model = new ScriptedChatClient(ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model, cost: new CostModel(1_000_000m, 2_000_000m, 0, 0));
        await world.TalkAsync("I like tea.");

        var run = await world.RunNowAsync();

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("Committed 1 block change(s).", run.Reason);
        Assert.Equal(new TokenUsage(100, 20), run.Usage);
        Assert.Equal(ScriptedReply.ModelId, run.Model);
        Assert.Equal((TriggerKinds.Manual, 1, 0), (run.Trigger, run.Attempt, run.ToolErrors));
        Assert.Equal((SleeperKind.Agent, world.Sleeper.Id, world.Agent.Id), (run.Kind, run.SleeperId, run.MemoryId));
        Assert.NotNull(run.Duration);

        // In process the price is recorded on the change set the run committed.
        var changeSet = (await world.Stores.ChangeSets.GetAsync(run.ChangeSetId!))!;
        Assert.Equal((run.Id, 140m), (changeSet.RunId, changeSet.Cost));
    }

    [Fact]
    public async Task Tool_errors_are_counted_on_the_run()
    {
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("memory_insert", new { label = "nope", text = "Likes tea" })),
            ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model);
        await world.TalkAsync("I like tea.");

        var run = await world.RunNowAsync();

        Assert.Equal((RunStatus.Succeeded, 1), (run.Status, run.ToolErrors));
        Assert.Equal("Name: Ada\nLikes tea", (await world.HumanNowAsync()).Value);
    }
}
