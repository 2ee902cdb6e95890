using SleepTime.Agents.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Agents.Tests.FailureModes;

/// <summary>Failure mode 6: an edit that contradicts a confirmed line goes to review instead of being applied.</summary>
public sealed class MemoryQualityTests
{
    private const string Confirmed = "Name: Ada\n[confirmed] Lives in Oslo";

    [Fact]
    public async Task Changing_a_confirmed_line_is_held_for_review_and_the_block_keeps_it()
    {
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("memory_replace", new { label = "human", old_text = "[confirmed] Lives in Oslo", new_text = "Lives in Bergen" })),
            ScriptedReply.ToolCalls(("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model, humanValue: Confirmed);
        await world.TalkAsync("My cousin lives in Bergen, I might visit.");

        var run = await world.RunNowAsync();

        Assert.Contains("held for a person to review", model.Calls[1].ToolResults.Single().Result as string, StringComparison.Ordinal);
        Assert.Equal(Confirmed, (await world.HumanNowAsync()).Value);
        var changeSet = (await world.Stores.ChangeSets.GetAsync(run.ChangeSetId!))!;
        Assert.Equal(ChangeSetStatus.NeedsReview, changeSet.Status);
        var change = changeSet.Blocks.Single();
        Assert.Equal(BlockChangeState.HeldForReview, change.State);
        Assert.Contains("[confirmed] Lives in Oslo", change.Reason, StringComparison.Ordinal);

        var approved = await world.ChangeSets.ApproveAsync(changeSet.Id, "user");
        Assert.Equal(BlockChangeState.Applied, approved.Blocks.Single().State);
        Assert.Equal("Name: Ada\nLives in Bergen", (await world.HumanNowAsync()).Value);
    }

    [Fact]
    public async Task Adding_a_line_next_to_a_confirmed_one_is_applied()
    {
        var model = new ScriptedChatClient(ScriptedReply.ToolCalls(
            ("memory_insert", new { label = "human", text = "Mentioned Bergen on 2025-04-17 (cousin lives there)" }),
            ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model, humanValue: Confirmed);
        await world.TalkAsync("My cousin lives in Bergen.");

        var run = await world.RunNowAsync();

        Assert.Equal(ChangeSetStatus.Committed, (await world.Stores.ChangeSets.GetAsync(run.ChangeSetId!))!.Status);
        Assert.Equal(Confirmed + "\nMentioned Bergen on 2025-04-17 (cousin lives there)", (await world.HumanNowAsync()).Value);
    }
}
