using SleepTime.Agents.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Agents.Tests.FailureModes;

/// <summary>Failure mode 2: the watermark moves only when a run commits; a retried run reads the same transcript.</summary>
public sealed class LostWorkTests
{
    [Fact]
    public async Task A_failed_run_leaves_the_watermark_and_its_retry_reads_the_same_messages()
    {
        var model = new ScriptedChatClient()
            .ThenThrow(new HttpRequestException("timeout"))
            .Then(ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model, options: new SleepTimeCoordinatorOptions { MaxAttempts = 2, RetryDelay = TimeSpan.FromMinutes(1) });
        var (user, assistant) = await world.TalkAsync("I like tea.");

        var failed = await world.RunNowAsync();
        Assert.Equal(SleepTimeRunStatus.Failed, failed.Status);
        Assert.Equal(SleepTimeWatermark.Start, await world.Stores.Agents.GetWatermarkAsync(world.Sleeper.Id));
        Assert.Null(failed.ReadTo);

        world.Time.Advance(TimeSpan.FromMinutes(1));
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var retry = (await world.RunsAsync())[0];
        Assert.Equal((SleepTimeRunStatus.Succeeded, 2, SleepTimeTrigger.Retry), (retry.Status, retry.Attempt, retry.Triggers.Single()));
        Assert.Equal(model.Calls[0].LastUserText, model.Calls[1].LastUserText);
        var changeSet = await world.Stores.ChangeSets.GetAsync(retry.ChangeSetId!);
        Assert.Equal([user.Id, assistant.Id], changeSet!.SourceMessageIds);
        Assert.Equal(new SleepTimeWatermark(2, 0), await world.Stores.Agents.GetWatermarkAsync(world.Sleeper.Id));
    }

    [Fact]
    public async Task After_a_commit_the_next_run_reads_only_what_came_after_the_watermark()
    {
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)),
            ScriptedReply.ToolCalls(("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model);
        await world.TalkAsync("I like tea.");
        await world.RunNowAsync();
        await world.TalkAsync("I have a cat called Maru.");

        var second = await world.RunNowAsync();

        Assert.Equal(new SleepTimeWatermark(2, 0), second.ReadFrom);
        Assert.Equal(new SleepTimeWatermark(4, 0), second.ReadTo);
        Assert.Contains("Maru", model.Calls[1].LastUserText, StringComparison.Ordinal);
        Assert.DoesNotContain("I like tea.", model.Calls[1].LastUserText, StringComparison.Ordinal);
        Assert.Equal("No changes: nothing new was worth remembering.", second.Reason);
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_attempts()
    {
        var model = new ScriptedChatClient(_ => throw new HttpRequestException("down"));
        await using var world = await AgentWorld.CreateAsync(model, options: new SleepTimeCoordinatorOptions { MaxAttempts = 2, RetryDelay = TimeSpan.FromMinutes(1) });
        await world.TalkAsync("I like tea.");

        await world.RunNowAsync();
        world.Time.Advance(TimeSpan.FromMinutes(1));
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        world.Time.Advance(TimeSpan.FromHours(1));
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([2, 1], (await world.RunsAsync()).Select(r => r.Attempt));
        Assert.All(await world.RunsAsync(), r => Assert.Equal(SleepTimeRunStatus.Failed, r.Status));
    }
}

public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Runs_left_running_by_a_crashed_process_are_marked_failed_and_retried_from_the_same_watermark()
    {
        var model = new ScriptedChatClient(ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model);
        var (user, _) = await world.TalkAsync("I like tea.");
        var crashed = new SleepTimeRun("run-crashed", world.Sleeper.Id, world.Agent.Id, SleepTimeRunStatus.Running, [SleepTimeTrigger.Turns], 1, world.Time.GetUtcNow(), StartedAt: world.Time.GetUtcNow());
        await world.Stores.Runs.AddAsync(crashed);

        var recovered = await world.Coordinator.RecoverInterruptedRunsAsync();
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["run-crashed"], recovered.Select(r => r.Id));
        var runs = await world.RunsAsync();
        Assert.Equal(SleepTimeRunStatus.Failed, runs.Single(r => r.Id == "run-crashed").Status);
        Assert.Contains("Interrupted while running", runs.Single(r => r.Id == "run-crashed").Error, StringComparison.Ordinal);
        var retry = runs.Single(r => r.Id != "run-crashed");
        Assert.Equal((SleepTimeRunStatus.Succeeded, 2, SleepTimeWatermark.Start), (retry.Status, retry.Attempt, retry.ReadFrom));
        Assert.Contains(user.Id, (await world.Stores.ChangeSets.GetAsync(retry.ChangeSetId!))!.SourceMessageIds);
    }

    [Fact]
    public async Task Stopping_mid_run_fails_the_run_keeps_the_queued_one_and_a_new_coordinator_finishes_the_work()
    {
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hanging = new ScriptedChatClient().Then(async (_, ct) =>
        {
            inFlight.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        });
        var world = await AgentWorld.CreateAsync(hanging);
        var (user, _) = await world.TalkAsync("I like tea.");
        var first = await world.Coordinator.RequestRunAsync(world.Sleeper.Id);
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var waiting = await world.Coordinator.RequestRunAsync(world.Sleeper.Id);

        await world.Coordinator.StopAsync();

        var stopped = (await world.Stores.Runs.GetAsync(first.Id))!;
        Assert.Equal(SleepTimeRunStatus.Failed, stopped.Status);
        Assert.Contains("stopped before the run finished", stopped.Error, StringComparison.Ordinal);
        Assert.Equal(SleepTimeRunStatus.Queued, (await world.Stores.Runs.GetAsync(waiting.Id))!.Status);
        Assert.Equal(SleepTimeWatermark.Start, await world.Stores.Agents.GetWatermarkAsync(world.Sleeper.Id));

        var model = new ScriptedChatClient(ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)));
        await using var restarted = new SleepTimeAgentCoordinator(world.Stores, timeProvider: world.Time);
        restarted.Register(world.Sleeper.Id, model);
        restarted.Start();
        var recovered = await restarted.RecoverInterruptedRunsAsync();
        await restarted.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([waiting.Id], recovered.Select(r => r.Id));
        var retry = (await world.RunsAsync())[0];
        Assert.Equal(SleepTimeRunStatus.Succeeded, retry.Status);
        Assert.Contains(user.Id, (await world.Stores.ChangeSets.GetAsync(retry.ChangeSetId!))!.SourceMessageIds);
        Assert.Equal("Name: Ada\nLikes tea", (await world.HumanNowAsync()).Value);
    }
}
