using SleepTime.Agents.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Agents.Tests.FailureModes;

/// <summary>Failure mode 2: the watermark moves only when a run commits; a retried run reads the same transcript.</summary>
public sealed class LostWorkTests
{
    private static readonly InProcessSchedulerOptions TwoAttempts = new() { MaxAttempts = 2, RetryDelay = TimeSpan.FromMinutes(1) };

    [Fact]
    public async Task A_failed_attempt_leaves_the_watermark_and_its_retry_reads_the_same_messages()
    {
        var model = new ScriptedChatClient()
            .ThenThrow(new HttpRequestException("timeout"))
            .Then(ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model, options: TwoAttempts);
        var (user, assistant) = await world.TalkAsync("I like tea.");

        var queued = await world.Scheduler.TriggerAsync(SleeperKind.Agent, world.Sleeper.Id);
        await world.TimerArmedAsync(world.Time.GetUtcNow() + TimeSpan.FromMinutes(1));

        // The first attempt failed and waits for its retry: nothing was committed and the watermark did not move.
        Assert.Equal(1, model.CallCount);
        var waiting = world.Run(queued.Id);
        Assert.Equal((RunStatus.Running, 1), (waiting.Status, waiting.Attempt));
        Assert.Null(waiting.ReadTo);
        Assert.Equal(SleepTimeWatermark.Start, await world.WatermarkAsync());
        Assert.Equal(1, (await world.HumanNowAsync()).Version);

        world.Time.Advance(TimeSpan.FromMinutes(1));
        await world.IdleAsync();

        var retried = Assert.Single(world.Runs());
        Assert.Equal((queued.Id, RunStatus.Succeeded, 2, TriggerKinds.Manual), (retried.Id, retried.Status, retried.Attempt, retried.Trigger));
        Assert.Equal(model.Calls[0].LastUserText, model.Calls[1].LastUserText);
        var changeSet = await world.Stores.ChangeSets.GetAsync(retried.ChangeSetId!);
        Assert.Equal([user.Id, assistant.Id], changeSet!.SourceMessageIds);
        Assert.Equal((SleepTimeWatermark.Start, new SleepTimeWatermark(2, 0)), (retried.ReadFrom, retried.ReadTo));
        Assert.Equal(new SleepTimeWatermark(2, 0), await world.WatermarkAsync());
        Assert.Equal("Name: Ada\nLikes tea", (await world.HumanNowAsync()).Value);
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

        // Finishing without an edit is a genuine no-op: it succeeds, writes no change set, and the input counts as read.
        Assert.Equal(RunStatus.Succeeded, second.Status);
        Assert.Null(second.ChangeSetId);
        Assert.StartsWith("No changes", second.Reason, StringComparison.Ordinal);
        Assert.Equal(new SleepTimeWatermark(4, 0), await world.WatermarkAsync());
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_attempts_and_the_run_ends_failed_with_the_error()
    {
        var model = new ScriptedChatClient(_ => throw new HttpRequestException("down"));
        await using var world = await AgentWorld.CreateAsync(model, options: TwoAttempts);
        await world.TalkAsync("I like tea.");

        var queued = await world.Scheduler.TriggerAsync(SleeperKind.Agent, world.Sleeper.Id);
        await world.TimerArmedAsync(world.Time.GetUtcNow() + TimeSpan.FromMinutes(1));
        world.Time.Advance(TimeSpan.FromMinutes(1));
        await world.IdleAsync();
        world.Time.Advance(TimeSpan.FromHours(1));
        await world.IdleAsync();

        var run = Assert.Single(world.Runs());
        Assert.Equal((queued.Id, RunStatus.Failed, 2), (run.Id, run.Status, run.Attempt));
        Assert.Contains("down", run.Error, StringComparison.Ordinal);
        Assert.NotNull(run.FinishedAt);
        Assert.Equal(2, model.CallCount);
        Assert.Equal(SleepTimeWatermark.Start, await world.WatermarkAsync());
    }

    [Fact]
    public async Task A_model_that_never_calls_a_tool_fails_the_run_and_the_next_run_reads_the_same_input()
    {
        // The one policy for a model that never calls a tool (issue 9): the run fails, the watermark stays.
        var textOnly = new ScriptedChatClient(_ => ScriptedReply.Text("The user likes tea."));
        await using var world = await AgentWorld.CreateAsync(textOnly);
        var (user, _) = await world.TalkAsync("I like tea.");

        var failed = await world.RunNowAsync();

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Null(failed.ChangeSetId);
        Assert.Null(failed.ReadTo);
        Assert.Equal(SleepTimeWatermark.Start, await world.WatermarkAsync());
        Assert.Empty(await world.Stores.ChangeSets.ListAsync(world.Agent.Id));
        Assert.Equal(1, (await world.HumanNowAsync()).Version);

        // A model that does use the tools, registered in its place, reads exactly the same input.
        var tools = new ScriptedChatClient(ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)));
        world.Scheduler.Register(world.Sleeper.Id, tools);
        var next = await world.RunNowAsync();

        Assert.Equal(RunStatus.Succeeded, next.Status);
        Assert.Equal(SleepTimeWatermark.Start, next.ReadFrom);
        Assert.Equal(textOnly.Calls[0].LastUserText, tools.Calls[0].LastUserText);
        Assert.Contains(user.Id, (await world.Stores.ChangeSets.GetAsync(next.ChangeSetId!))!.SourceMessageIds);
        Assert.Equal("Name: Ada\nLikes tea", (await world.HumanNowAsync()).Value);
    }
}

/// <summary>Stopping the in-process scheduler mid-run loses nothing: the watermark never moved, so a new scheduler reads the same input.</summary>
public sealed class StopTests
{
    [Fact]
    public async Task Stopping_mid_run_cancels_the_run_keeps_the_watermark_and_a_new_scheduler_finishes_the_work()
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
        var first = await world.Scheduler.TriggerAsync(SleeperKind.Agent, world.Sleeper.Id);
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var waiting = await world.Scheduler.TriggerAsync(SleeperKind.Agent, world.Sleeper.Id);
        Assert.NotEqual(first.Id, waiting.Id);

        await world.DisposeAsync();

        // Once stopped, nothing runs: the run in flight ended cancelled and the queued one was never started.
        var stopped = world.Run(first.Id);
        Assert.Equal((RunStatus.Cancelled, "The scheduler stopped."), (stopped.Status, stopped.Reason));
        Assert.NotNull(stopped.FinishedAt);
        var queued = world.Run(waiting.Id);
        Assert.Equal(RunStatus.Queued, queued.Status);
        Assert.Null(queued.StartedAt);
        Assert.Equal(1, hanging.CallCount);
        Assert.Equal(SleepTimeWatermark.Start, await world.WatermarkAsync());
        Assert.Equal(1, (await world.HumanNowAsync()).Version);

        var model = new ScriptedChatClient(ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)));
        await using var restarted = new InProcessSleepScheduler(world.Stores, timeProvider: world.Time);
        restarted.Register(world.Sleeper.Id, model);
        var retry = await restarted.TriggerAsync(SleeperKind.Agent, world.Sleeper.Id);
        await restarted.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        retry = restarted.Runs().Single(r => r.Id == retry.Id);
        Assert.Equal((RunStatus.Succeeded, SleepTimeWatermark.Start), (retry.Status, retry.ReadFrom));
        Assert.Contains(user.Id, (await world.Stores.ChangeSets.GetAsync(retry.ChangeSetId!))!.SourceMessageIds);
        Assert.Equal("Name: Ada\nLikes tea", (await world.HumanNowAsync()).Value);
    }
}
