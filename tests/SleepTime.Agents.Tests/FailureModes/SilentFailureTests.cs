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

        Assert.Equal(SleepTimeRunStatus.Failed, run.Status);
        Assert.Contains("upstream exploded", run.Error, StringComparison.Ordinal);
        Assert.NotNull(run.StartedAt);
        Assert.NotNull(run.FinishedAt);
        Assert.Null(run.ChangeSetId);
        Assert.Equal(1, (await world.HumanNowAsync()).Version);
        Assert.Equal([run.Id], (await world.Stores.Runs.ListAsync(world.Sleeper.Id, SleepTimeRunStatus.Failed)).Select(r => r.Id));
    }

    [Fact]
    public async Task A_sleep_time_agent_without_a_model_fails_visibly()
    {
        await using var world = await AgentWorld.CreateAsync(new ScriptedChatClient());
        var orphan = await world.Stores.Agents.CreateSleepTimeAgentAsync(world.Agent.Id, "no model", new SleepTimeTriggers(EveryTurns: null));

        var queued = await world.Coordinator.RequestRunAsync(orphan.Id);
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var run = await world.Stores.Runs.GetAsync(queued.Id);

        Assert.Equal(SleepTimeRunStatus.Failed, run!.Status);
        Assert.Contains("No model is registered", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_with_nothing_new_is_skipped_with_a_reason_and_costs_nothing()
    {
        var model = new ScriptedChatClient();
        await using var world = await AgentWorld.CreateAsync(model);

        var run = await world.RunNowAsync();

        Assert.Equal(SleepTimeRunStatus.Skipped, run.Status);
        Assert.Equal("Nothing new since the last committed run.", run.Reason);
        Assert.Equal(0, model.CallCount);
    }

    [Fact]
    public async Task A_successful_run_records_tokens_cost_model_and_what_it_did()
    {
        var model = new ScriptedChatClient(ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model, cost: new CostModel(1_000_000m, 2_000_000m, 0, 0));
        await world.TalkAsync("I like tea.");

        var run = await world.RunNowAsync();

        Assert.Equal(SleepTimeRunStatus.Succeeded, run.Status);
        Assert.Equal("Committed 1 block change(s).", run.Reason);
        Assert.Equal(new TokenUsage(100, 20), run.Usage);
        Assert.Equal(140m, run.Cost);
        Assert.Equal(ScriptedReply.ModelId, run.Model);
        Assert.Equal([SleepTimeTrigger.Manual], run.Triggers);
    }
}
