using SleepTime.Agents.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Agents.Tests.Scheduling;

public sealed class TriggerTests
{
    private static ScriptedChatClient Finishes() => new(_ => ScriptedReply.ToolCalls(("memory_finish_edits", null)));

    [Fact]
    public async Task By_default_a_run_is_queued_every_fifth_turn()
    {
        var model = Finishes();
        await using var world = await AgentWorld.CreateAsync(model, triggers: SleepTimeTriggers.Default);

        for (var turn = 1; turn <= 4; turn++)
        {
            await world.TalkAsync($"turn {turn}");
        }

        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(await world.RunsAsync());

        await world.TalkAsync("turn 5");
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var run = Assert.Single(await world.RunsAsync());
        Assert.Equal([SleepTimeTrigger.Turns], run.Triggers);
        Assert.Equal(new SleepTimeWatermark(10, 0), run.ReadTo);
    }

    [Fact]
    public async Task The_idle_trigger_fires_once_the_conversation_is_quiet_and_each_turn_restarts_the_wait()
    {
        await using var world = await AgentWorld.CreateAsync(Finishes(), triggers: new SleepTimeTriggers(EveryTurns: null, IdleAfter: TimeSpan.FromMinutes(2)));

        await world.TalkAsync("hello");
        world.Time.Advance(TimeSpan.FromSeconds(90));
        await world.TalkAsync("still here");
        world.Time.Advance(TimeSpan.FromSeconds(90));
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(await world.RunsAsync());

        world.Time.Advance(TimeSpan.FromSeconds(30));
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var run = Assert.Single(await world.RunsAsync());
        Assert.Equal([SleepTimeTrigger.Idle], run.Triggers);
        Assert.Equal(SleepTimeRunStatus.Succeeded, run.Status);

        world.Time.Advance(TimeSpan.FromHours(1));
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(await world.RunsAsync());
    }

    [Fact]
    public async Task The_transcript_volume_trigger_counts_tokens_since_the_last_run()
    {
        await using var world = await AgentWorld.CreateAsync(Finishes(), triggers: new SleepTimeTriggers(EveryTurns: null, TranscriptTokens: 40));

        await world.TalkAsync("a");
        await world.TalkAsync("b");
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(await world.RunsAsync());

        await world.TalkAsync("c");
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([SleepTimeTrigger.TranscriptVolume], Assert.Single(await world.RunsAsync()).Triggers);
    }

    [Fact]
    public async Task An_ingested_document_is_read_in_the_background_and_its_findings_written_to_blocks()
    {
        var model = new ScriptedChatClient(ScriptedReply.ToolCalls(
            ("memory_insert", new { label = "human", text = "Works at the Analytical Engine Company since 2025-03-01" }),
            ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model);

        var document = Assert.Single(await world.Coordinator.IngestDocumentAsync(world.Agent.Id, "CV", "Ada joined the Analytical Engine Company on 1 March 2025."));
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var run = Assert.Single(await world.RunsAsync());
        Assert.Equal([SleepTimeTrigger.Document], run.Triggers);
        Assert.Contains("<document title=\"CV\"", model.Calls[0].LastUserText, StringComparison.Ordinal);
        Assert.Equal([document.Id], (await world.Stores.ChangeSets.GetAsync(run.ChangeSetId!))!.SourceDocumentIds);
        Assert.Equal(new SleepTimeWatermark(0, 1), run.ReadTo);
        Assert.EndsWith("since 2025-03-01", (await world.HumanNowAsync()).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_document_is_read_part_by_part_and_each_part_commits_its_findings()
    {
        var model = new ScriptedChatClient(call =>
        {
            var part = call.LastUserText.Contains("part 1 of 3", StringComparison.Ordinal) ? "one" : call.LastUserText.Contains("part 2 of 3", StringComparison.Ordinal) ? "two" : "three";
            return ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = $"Finding from part {part}" }), ("memory_finish_edits", null));
        });
        await using var world = await AgentWorld.CreateAsync(model, options: new SleepTimeCoordinatorOptions { MaxAttempts = 1, DocumentPartCharacters = 40 });
        const string text = "Chapter one: Ada met Babbage in 1833.\n\nChapter two: she translated Menabrea.\n\nChapter three: Note G, 1843.";

        var parts = await world.Coordinator.IngestDocumentAsync(world.Agent.Id, "Life", text);
        await world.Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["Life (part 1 of 3)", "Life (part 2 of 3)", "Life (part 3 of 3)"], parts.Select(p => p.Title));
        Assert.Equal("Chapter two: she translated Menabrea.", parts[1].Text);
        var runs = (await world.RunsAsync()).Reverse().ToList();
        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.Equal(SleepTimeRunStatus.Succeeded, r.Status));
        Assert.Equal([1L, 2L, 3L], runs.Select(r => r.ReadTo!.Value.DocumentSequence));
        Assert.DoesNotContain("Chapter one", model.Calls[1].LastUserText, StringComparison.Ordinal);
        Assert.Equal("Name: Ada\nFinding from part one\nFinding from part two\nFinding from part three", (await world.HumanNowAsync()).Value);
    }

    [Fact]
    public void Documents_split_at_paragraphs_then_lines_then_anywhere()
    {
        Assert.Equal(["aaa", "bbb"], DocumentChunker.Split("aaa\n\nbbb", 5));
        Assert.Equal(["aaa", "bbb"], DocumentChunker.Split("aaa\nbbb", 5));
        Assert.Equal(["abcde", "fgh"], DocumentChunker.Split("abcdefgh", 5));
        Assert.Equal(["short"], DocumentChunker.Split("short", 100));
    }

    [Fact]
    public void The_policy_is_pure()
    {
        var triggers = new SleepTimeTriggers(EveryTurns: 3, IdleAfter: TimeSpan.FromMinutes(1), TranscriptTokens: 100);
        var t0 = new DateTimeOffset(2025, 4, 17, 23, 59, 0, TimeSpan.FromHours(2));

        Assert.Null(TriggerPolicy.AfterTurn(triggers, 2, 99));
        Assert.Equal(SleepTimeTrigger.Turns, TriggerPolicy.AfterTurn(triggers, 3, 0));
        Assert.Equal(SleepTimeTrigger.TranscriptVolume, TriggerPolicy.AfterTurn(triggers, 1, 100));
        Assert.False(TriggerPolicy.IdleDue(triggers, 1, t0, t0.AddSeconds(59)));
        Assert.True(TriggerPolicy.IdleDue(triggers, 1, t0, t0.AddSeconds(60)));
        Assert.False(TriggerPolicy.IdleDue(triggers, 0, t0, t0.AddHours(1)));
        Assert.Equal(new DateTimeOffset(2025, 4, 17, 0, 0, 0, TimeSpan.Zero), TriggerPolicy.BudgetDayStart(t0));
    }

    [Theory]
    [InlineData(0, null, null, "everyTurns")]
    [InlineData(null, -1, null, "idleAfter")]
    [InlineData(null, null, 0, "transcriptTokens")]
    public void Invalid_triggers_are_refused(int? everyTurns, int? idleSeconds, int? tokens, string field)
    {
        var triggers = new SleepTimeTriggers(everyTurns, idleSeconds is null ? null : TimeSpan.FromSeconds(idleSeconds.Value), tokens);
        Assert.Equal(field, Assert.Throws<SleepTimeValidationException>(triggers.Validate).Field);
    }

    [Fact]
    public async Task Unknown_agents_are_a_typed_error()
    {
        await using var world = await AgentWorld.CreateAsync(Finishes());
        Assert.Equal("sleeper-nope", (await Assert.ThrowsAsync<AgentNotFoundException>(() => world.Coordinator.RequestRunAsync("sleeper-nope"))).AgentId);
        await Assert.ThrowsAsync<AgentNotFoundException>(() => world.Coordinator.IngestDocumentAsync("agent-nope", "x", "y"));
    }
}
