using Microsoft.Extensions.AI;
using SleepTime.Agents.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Agents.Tests.FailureModes;

/// <summary>Failure mode 3: single flight with coalesced triggers; a background edit meeting a newer block is rebased or recorded as a conflict.</summary>
public sealed class RaceTests
{
    [Fact]
    public async Task A_user_edit_during_a_run_is_kept_and_the_runs_edits_are_rebased_onto_it()
    {
        var model = new ScriptedChatClient();
        await using var world = await AgentWorld.CreateAsync(model, humanValue: "Name: Ada\nLikes tea");
        model.Then(async (_, ct) =>
        {
            // The user edits the block while the sleep-time agent is thinking.
            var written = await world.Stores.Blocks.TryUpdateAsync(world.Human.Id, 1, "Pronouns: she/her\nName: Ada\nLikes tea", "user", ct);
            Assert.True(written.Updated);
            return ScriptedReply.ToolCalls(
                ("memory_insert", new { label = "human", text = "Has a cat called Maru", line = 1 }),
                ("memory_replace", new { label = "human", old_text = "Likes tea", new_text = "Likes green tea" }),
                ("memory_finish_edits", null));
        });
        await world.TalkAsync("I have a cat called Maru. Green tea, by the way.");

        var run = await world.RunNowAsync();

        var block = await world.HumanNowAsync();
        Assert.Equal("Pronouns: she/her\nName: Ada\nHas a cat called Maru\nLikes green tea", block.Value);
        Assert.Equal(3, block.Version);
        var change = (await world.Stores.ChangeSets.GetAsync(run.ChangeSetId!))!.Blocks.Single();
        Assert.Equal(BlockChangeState.Rebased, change.State);
        Assert.Equal("Pronouns: she/her\nName: Ada\nLikes tea", change.ReplacedValue);
        Assert.Contains("rebased from version 1 onto 2", change.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_edit_that_the_runs_edits_no_longer_fit_is_kept_and_the_run_is_recorded_as_a_conflict()
    {
        var model = new ScriptedChatClient();
        await using var world = await AgentWorld.CreateAsync(model, humanValue: "Name: Ada\nLikes tea");
        model.Then(async (_, ct) =>
        {
            await world.Stores.Blocks.TryUpdateAsync(world.Human.Id, 1, "Name: Ada\nLikes coffee now", "user", ct);
            return ScriptedReply.ToolCalls(("memory_replace", new { label = "human", old_text = "Likes tea", new_text = "Likes green tea" }), ("memory_finish_edits", null));
        });
        await world.TalkAsync("Green tea is my favourite.");

        var run = await world.RunNowAsync();

        Assert.Equal("Name: Ada\nLikes coffee now", (await world.HumanNowAsync()).Value);
        var changeSet = (await world.Stores.ChangeSets.GetAsync(run.ChangeSetId!))!;
        Assert.Equal(ChangeSetStatus.NeedsReview, changeSet.Status);
        var change = changeSet.Blocks.Single();
        Assert.Equal((BlockChangeState.Conflict, 2L, "Name: Ada\nLikes coffee now"), (change.State, change.ConflictVersion, change.ConflictValue));
        Assert.Contains("no longer apply", change.Reason, StringComparison.Ordinal);
        Assert.Contains("wait for review", run.Reason, StringComparison.Ordinal);

        // A reviewer may still choose the run's value over the user's, explicitly.
        var approved = await world.ChangeSets.ApproveAsync(changeSet.Id, "reviewer", overwriteConflicts: true);
        Assert.Equal(ChangeSetStatus.Committed, approved.Status);
        Assert.Equal("Name: Ada\nLikes green tea", (await world.HumanNowAsync()).Value);
    }

    [Fact]
    public async Task A_rethink_over_a_block_that_moved_on_is_a_conflict()
    {
        var model = new ScriptedChatClient();
        await using var world = await AgentWorld.CreateAsync(model);
        model.Then(async (_, ct) =>
        {
            await world.Stores.Blocks.TryUpdateAsync(world.Human.Id, 1, "Name: Ada K.", "user", ct);
            return ScriptedReply.ToolCalls(("memory_rethink", new { label = "human", new_value = "Name: Ada\nLikes tea" }), ("memory_finish_edits", null));
        });
        await world.TalkAsync("I like tea.");

        var run = await world.RunNowAsync();

        Assert.Equal(BlockChangeState.Conflict, (await world.Stores.ChangeSets.GetAsync(run.ChangeSetId!))!.Blocks.Single().State);
        Assert.Equal("Name: Ada K.", (await world.HumanNowAsync()).Value);
    }

    [Fact]
    public async Task Triggers_during_a_run_coalesce_into_one_waiting_run_and_runs_never_overlap()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var active = 0;
        var maxActive = 0;
        var model = new ScriptedChatClient();
        model.Then(async (_, ct) =>
        {
            maxActive = Math.Max(maxActive, Interlocked.Increment(ref active));
            started.SetResult();
            await release.Task.WaitAsync(ct);
            Interlocked.Decrement(ref active);
            return ScriptedReply.ToolCalls(("memory_finish_edits", null));
        }).Then(_ =>
        {
            maxActive = Math.Max(maxActive, Interlocked.Increment(ref active));
            Interlocked.Decrement(ref active);
            return ScriptedReply.ToolCalls(("memory_finish_edits", null));
        });
        await using var world = await AgentWorld.CreateAsync(model, schedule: AgentWorld.ManualOnly with { EveryTurns = 1 });

        await world.TalkAsync("one");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await world.TalkAsync("two");
        await world.TalkAsync("three");
        var manual = await world.Scheduler.TriggerAsync(SleeperKind.Agent, world.Sleeper.Id);
        await world.AddDocumentAsync("notes", "Ada's notes.");

        var runs = world.Runs();
        Assert.Equal(2, runs.Count);
        Assert.Equal((RunStatus.Running, TriggerKinds.Turns), (runs[1].Status, runs[1].Trigger));
        Assert.Equal(RunStatus.Queued, runs[0].Status);
        Assert.Equal(manual.Id, runs[0].Id);
        Assert.Equal(TriggerKinds.Turns, runs[0].Trigger);
        Assert.Equal(3, runs[0].Coalesced); // "three", the manual request and the document joined the run "two" queued.

        release.SetResult();
        await world.IdleAsync();

        Assert.Equal(1, maxActive);
        Assert.Equal(2, model.CallCount);
        Assert.All(world.Runs(), r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.Contains("user: three", model.Calls[1].LastUserText, StringComparison.Ordinal);
        Assert.Contains("Ada's notes.", model.Calls[1].LastUserText, StringComparison.Ordinal);
        Assert.DoesNotContain("user: one", model.Calls[1].LastUserText, StringComparison.Ordinal);
        Assert.Equal(new SleepTimeWatermark(6, 1), await world.WatermarkAsync());
    }

    [Fact]
    public async Task A_second_commit_of_the_same_input_is_refused_whole_and_writes_nothing()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model);
        await world.TalkAsync("I like tea.");
        var sleep = new AgentSleep(world.Stores, timeProvider: world.Time);
        var first = await sleep.RunAsync(world.Sleeper, model, "run-a");
        var second = await sleep.RunAsync(world.Sleeper, model, "run-b");

        await world.Stores.Memory.WriteAsync((writer, ct) => AgentSleep.CommitAsync(writer, world.Sleeper, first, ct));
        await Assert.ThrowsAsync<SleepTimeConflictException>(() =>
            world.Stores.Memory.WriteAsync((writer, ct) => AgentSleep.CommitAsync(writer, world.Sleeper, second, ct)));

        // The refused commit had rebased its insert onto the block in its unit; none of it landed: the fact is there once.
        var block = await world.HumanNowAsync();
        Assert.Equal(("Name: Ada\nLikes tea", 2L), (block.Value, block.Version));
        var changeSet = Assert.Single(await world.Stores.ChangeSets.ListAsync(world.Agent.Id));
        Assert.Equal(("run-a", 2L), (changeSet.RunId, changeSet.Blocks.Single().AppliedVersion));
        Assert.Equal(new SleepTimeWatermark(2, 0), await world.WatermarkAsync());
    }
}
