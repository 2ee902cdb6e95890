using SleepTime.Agents.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Agents.Tests.FailureModes;

/// <summary>Failure mode 4: each run produces a change set that can be listed, inspected, reverted, and held for review.</summary>
public sealed class VisibilityTests
{
    private static ScriptedChatClient InsertsTea() =>
        new(ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)));

    [Fact]
    public async Task A_change_set_names_its_diff_sources_model_prompt_and_usage()
    {
        await using var world = await AgentWorld.CreateAsync(InsertsTea());
        var (user, assistant) = await world.TalkAsync("I like tea.");

        var run = await world.RunNowAsync();

        var changeSet = Assert.Single(await world.Stores.ChangeSets.ListAsync(world.Agent.Id));
        Assert.Equal(run.ChangeSetId, changeSet.Id);
        Assert.Equal((ChangeSetStatus.Committed, run.Id, world.Sleeper.Id), (changeSet.Status, changeSet.RunId, changeSet.SleepTimeAgentId));
        Assert.Equal([user.Id, assistant.Id], changeSet.SourceMessageIds);
        Assert.Equal((ScriptedReply.ModelId, "sleep-time-agent.v1"), (changeSet.Model, changeSet.PromptVersion));
        Assert.Equal(new TokenUsage(100, 20), changeSet.Usage);
        var change = changeSet.Blocks.Single();
        Assert.Equal("--- a/human\n+++ b/human\n@@ -1 +1,2 @@\n Name: Ada\n+Likes tea\n", change.Diff);
        Assert.Equal((BlockChangeState.Applied, 2L), (change.State, change.AppliedVersion));
    }

    [Fact]
    public async Task A_committed_change_set_can_be_reverted_while_the_block_has_not_moved_on()
    {
        await using var world = await AgentWorld.CreateAsync(InsertsTea());
        await world.TalkAsync("I like tea.");
        var run = await world.RunNowAsync();

        var result = await world.ChangeSets.RevertAsync(run.ChangeSetId!, "user");

        Assert.True(result.Reverted);
        Assert.Equal(ChangeSetStatus.Reverted, result.ChangeSet.Status);
        var block = await world.HumanNowAsync();
        Assert.Equal(("Name: Ada", 3L), (block.Value, block.Version));
        await Assert.ThrowsAsync<ChangeSetStateException>(() => world.ChangeSets.RevertAsync(run.ChangeSetId!, "user"));
    }

    [Fact]
    public async Task A_revert_after_the_block_moved_on_is_a_conflict_and_touches_nothing()
    {
        await using var world = await AgentWorld.CreateAsync(InsertsTea());
        await world.TalkAsync("I like tea.");
        var run = await world.RunNowAsync();
        await world.Stores.Blocks.TryUpdateAsync(world.Human.Id, 2, "Name: Ada\nLikes tea\nLives in Oslo", "user");

        var result = await world.ChangeSets.RevertAsync(run.ChangeSetId!, "user");

        Assert.False(result.Reverted);
        Assert.Equal(3L, Assert.Single(result.Conflicts).ConflictVersion);
        Assert.Equal(ChangeSetStatus.Committed, result.ChangeSet.Status);
        Assert.Equal("Name: Ada\nLikes tea\nLives in Oslo", (await world.HumanNowAsync()).Value);
    }

    [Fact]
    public async Task Behind_the_review_gate_a_change_set_waits_and_only_approval_applies_it()
    {
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)),
            ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Hates rain" }), ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model, requireReview: true);
        await world.TalkAsync("I like tea.");

        var run = await world.RunNowAsync();

        Assert.Equal("1 block change(s) held for review.", run.Reason);
        Assert.Equal(new SleepTimeWatermark(2, 0), run.ReadTo);
        Assert.Equal(ChangeSetStatus.Pending, (await world.Stores.ChangeSets.GetAsync(run.ChangeSetId!))!.Status);
        Assert.Equal(1, (await world.HumanNowAsync()).Version);

        var approved = await world.ChangeSets.ApproveAsync(run.ChangeSetId!, "reviewer");
        Assert.Equal((ChangeSetStatus.Committed, "reviewer"), (approved.Status, approved.ResolvedBy));
        Assert.Equal("Name: Ada\nLikes tea", (await world.HumanNowAsync()).Value);

        await world.TalkAsync("I hate rain.");
        var second = await world.RunNowAsync();
        var rejected = await world.ChangeSets.RejectAsync(second.ChangeSetId!, "reviewer");
        Assert.Equal(ChangeSetStatus.Rejected, rejected.Status);
        Assert.Equal("Name: Ada\nLikes tea", (await world.HumanNowAsync()).Value);
        await Assert.ThrowsAsync<ChangeSetStateException>(() => world.ChangeSets.ApproveAsync(second.ChangeSetId!, "reviewer"));
    }

    [Fact]
    public async Task Unknown_change_sets_are_a_typed_error()
    {
        await using var world = await AgentWorld.CreateAsync(new ScriptedChatClient());
        await Assert.ThrowsAsync<ChangeSetNotFoundException>(() => world.ChangeSets.ApproveAsync("changes-nope", "reviewer"));
    }
}
