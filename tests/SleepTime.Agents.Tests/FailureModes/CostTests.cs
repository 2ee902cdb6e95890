using SleepTime.Agents.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Agents.Tests.FailureModes;

/// <summary>Failure mode 5: a model per sleep-time agent, and a token budget per agent per day.</summary>
public sealed class CostTests
{
    [Fact]
    public async Task Over_its_daily_budget_an_agent_is_skipped_with_a_reason_until_the_next_UTC_day()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.ToolCalls(("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model, dailyTokenBudget: 100);
        await world.TalkAsync("first");
        var first = await world.RunNowAsync();
        await world.TalkAsync("second");

        var skipped = await world.RunNowAsync();

        Assert.Equal(SleepTimeRunStatus.Succeeded, first.Status);
        Assert.Equal(SleepTimeRunStatus.Skipped, skipped.Status);
        Assert.Equal("Daily token budget spent: 120 of 100 tokens used on 2025-04-17 (UTC).", skipped.Reason);
        Assert.Equal(1, model.CallCount);
        Assert.Equal(new SleepTimeWatermark(2, 0), await world.Stores.Agents.GetWatermarkAsync(world.Sleeper.Id));

        world.Time.Advance(TimeSpan.FromDays(1));
        var nextDay = await world.RunNowAsync();
        Assert.Equal(SleepTimeRunStatus.Succeeded, nextDay.Status);
        Assert.Contains("user: second", model.Calls[1].LastUserText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_sleep_time_agent_uses_its_own_model_and_prices()
    {
        var cheap = new ScriptedChatClient(_ => ScriptedReply.ToolCalls(("memory_finish_edits", null)));
        var strong = new ScriptedChatClient(_ => ScriptedReply.ToolCalls(("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(cheap, cost: new CostModel(1_000_000m, 1_000_000m, 0, 0));
        var second = await world.Stores.Agents.CreateSleepTimeAgentAsync(world.Agent.Id, "deep", new SleepTimeTriggers(EveryTurns: null), cost: new CostModel(10_000_000m, 10_000_000m, 0, 0));
        world.Coordinator.Register(second.Id, strong);
        await world.TalkAsync("hello");

        await world.Coordinator.RequestRunAsync(world.Sleeper.Id);
        await world.Coordinator.RequestRunAsync(second.Id);
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((1, 1), (cheap.CallCount, strong.CallCount));
        Assert.Equal(120m, (await world.Stores.Runs.ListAsync(world.Sleeper.Id)).Single().Cost);
        Assert.Equal(1200m, (await world.Stores.Runs.ListAsync(second.Id)).Single().Cost);
    }
}
