using SleepTime.Agents.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Agents.Tests.FailureModes;

/// <summary>Failure mode 5: a model per sleep-time agent, and a token cap per agent per UTC day.</summary>
public sealed class CostTests
{
    [Fact]
    public async Task Over_its_daily_cap_an_agent_is_skipped_with_a_reason_until_the_next_UTC_day()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.ToolCalls(("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model, schedule: AgentWorld.ManualOnly with { DailyTokenCap = 120 });
        await world.TalkAsync("first");
        var first = await world.RunNowAsync();
        await world.TalkAsync("second");

        var skipped = await world.RunNowAsync();

        // The first run spends exactly the cap (it does not cross it); once spent, the agent is skipped.
        Assert.Equal(RunStatus.Succeeded, first.Status);
        Assert.Equal(120, first.Usage.TotalTokens);
        Assert.Equal(RunStatus.Skipped, skipped.Status);
        Assert.Equal("over_budget: the sleep-time agent spent 120 of its 120 daily sleep tokens.", skipped.Reason);
        Assert.Equal(TokenUsage.Zero, skipped.Usage);
        Assert.Equal(1, model.CallCount);
        Assert.Equal(new SleepTimeWatermark(2, 0), await world.WatermarkAsync());

        // 23:30 UTC is still the same day; 00:30 UTC is the next one: the cap starts again and the skipped input is read.
        world.Time.Advance(TimeSpan.FromHours(14));
        Assert.Equal(RunStatus.Skipped, (await world.RunNowAsync()).Status);
        world.Time.Advance(TimeSpan.FromHours(1));
        var nextDay = await world.RunNowAsync();
        Assert.Equal(RunStatus.Succeeded, nextDay.Status);
        Assert.Equal(new SleepTimeWatermark(2, 0), nextDay.ReadFrom);
        Assert.Contains("user: second", model.Calls[1].LastUserText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_sleep_time_agent_uses_its_own_model_and_prices()
    {
        var cheap = new ScriptedChatClient(_ => ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Said hello" }), ("memory_finish_edits", null)));
        var strong = new ScriptedChatClient(_ => ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Greets politely" }), ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(cheap, cost: new CostModel(1_000_000m, 1_000_000m, 0, 0));
        var second = await world.Stores.Agents.CreateSleepTimeAgentAsync(world.Agent.Id, "deep", AgentWorld.ManualOnly, cost: new CostModel(10_000_000m, 10_000_000m, 0, 0));
        world.Scheduler.Register(second.Id, strong);
        await world.TalkAsync("hello");

        await world.Scheduler.TriggerAsync(SleeperKind.Agent, world.Sleeper.Id);
        await world.Scheduler.TriggerAsync(SleeperKind.Agent, second.Id);
        await world.IdleAsync();

        Assert.Equal((1, 1), (cheap.CallCount, strong.CallCount));
        var cheapRun = Assert.Single(world.Scheduler.Runs(world.Sleeper.Id));
        var strongRun = Assert.Single(world.Scheduler.Runs(second.Id));
        Assert.All([cheapRun, strongRun], r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.Equal(120m, (await world.Stores.ChangeSets.GetAsync(cheapRun.ChangeSetId!))!.Cost);
        Assert.Equal(1200m, (await world.Stores.ChangeSets.GetAsync(strongRun.ChangeSetId!))!.Cost);

        // Each sleeper has its own watermark: both read the same turn.
        Assert.Equal(new SleepTimeWatermark(2, 0), await world.Stores.Agents.GetWatermarkAsync(world.Sleeper.Id));
        Assert.Equal(new SleepTimeWatermark(2, 0), await world.Stores.Agents.GetWatermarkAsync(second.Id));
    }
}
