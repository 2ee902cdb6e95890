using SleepTime.Agents.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Agents.Tests.Scheduling;

public sealed class TriggerTests
{
    private static readonly DateTimeOffset Now = new(2025, 4, 17, 9, 30, 0, TimeSpan.Zero);

    private static ScriptedChatClient Finishes() => new(_ => ScriptedReply.ToolCalls(("memory_finish_edits", null)));

    [Fact]
    public async Task By_default_a_run_is_queued_every_fifth_user_turn()
    {
        var model = Finishes();
        await using var world = await AgentWorld.CreateAsync(model, schedule: SchedulePolicy.AgentDefault);

        for (var turn = 1; turn <= 4; turn++)
        {
            await world.TalkAsync($"turn {turn}");
        }

        await world.IdleAsync();
        Assert.Empty(world.Runs());

        await world.TalkAsync("turn 5");
        await world.IdleAsync();

        var run = Assert.Single(world.Runs());
        Assert.Equal((TriggerKinds.Turns, RunStatus.Succeeded), (run.Trigger, run.Status));
        Assert.Equal(new SleepTimeWatermark(10, 0), run.ReadTo);

        // Turns are counted from the watermark: four more are not enough, the fifth is.
        for (var turn = 6; turn <= 9; turn++)
        {
            await world.TalkAsync($"turn {turn}");
        }

        await world.IdleAsync();
        Assert.Single(world.Runs());
        await world.TalkAsync("turn 10");
        await world.IdleAsync();
        Assert.Equal([TriggerKinds.Turns, TriggerKinds.Turns], world.Runs().Select(r => r.Trigger));
        Assert.Equal(new SleepTimeWatermark(20, 0), world.Runs()[0].ReadTo);
    }

    [Fact]
    public async Task The_idle_trigger_fires_once_the_conversation_is_quiet_and_each_turn_restarts_the_wait()
    {
        await using var world = await AgentWorld.CreateAsync(Finishes(), schedule: AgentWorld.ManualOnly with { IdleSeconds = 120 });

        await world.TalkAsync("hello");
        world.Time.Advance(TimeSpan.FromSeconds(90));
        await world.TalkAsync("still here");
        world.Time.Advance(TimeSpan.FromSeconds(90));
        await world.IdleAsync();
        Assert.Empty(world.Runs());

        world.Time.Advance(TimeSpan.FromSeconds(30));
        await world.IdleAsync();

        var run = Assert.Single(world.Runs());
        Assert.Equal((TriggerKinds.Idle, RunStatus.Succeeded), (run.Trigger, run.Status));
        Assert.Equal(new SleepTimeWatermark(4, 0), run.ReadTo);

        world.Time.Advance(TimeSpan.FromHours(1));
        await world.IdleAsync();
        Assert.Single(world.Runs());
    }

    [Fact]
    public async Task Every_idle_period_fires_exactly_once()
    {
        var model = Finishes();
        await using var world = await AgentWorld.CreateAsync(model, schedule: AgentWorld.ManualOnly with { IdleSeconds = 120 });

        for (var period = 1; period <= 20; period++)
        {
            await world.TalkAsync($"message {period}");
            world.Time.Advance(TimeSpan.FromSeconds(119));
            await world.IdleAsync();
            Assert.Equal(period - 1, world.Runs().Count);

            world.Time.Advance(TimeSpan.FromSeconds(1));
            await world.IdleAsync();
            Assert.Equal(period, world.Runs().Count);

            // Staying quiet much longer does not fire again: the period's input was read.
            world.Time.Advance(TimeSpan.FromMinutes(30));
            await world.IdleAsync();
            Assert.Equal(period, world.Runs().Count);
        }

        Assert.All(world.Runs(), r => Assert.Equal((TriggerKinds.Idle, RunStatus.Succeeded), (r.Trigger, r.Status)));
        Assert.Equal(20, model.CallCount);
        Assert.Equal(new SleepTimeWatermark(40, 0), await world.WatermarkAsync());
    }

    [Fact]
    public async Task The_transcript_volume_trigger_counts_tokens_since_the_last_run()
    {
        // Each exchange is 10 + 5 tokens: the third one crosses 40.
        await using var world = await AgentWorld.CreateAsync(Finishes(), schedule: AgentWorld.ManualOnly with { TranscriptTokens = 40 });

        await world.TalkAsync("a");
        await world.TalkAsync("b");
        await world.IdleAsync();
        Assert.Empty(world.Runs());

        await world.TalkAsync("c");
        await world.IdleAsync();

        Assert.Equal(TriggerKinds.TranscriptTokens, Assert.Single(world.Runs()).Trigger);

        await world.TalkAsync("d");
        await world.TalkAsync("e");
        await world.IdleAsync();
        Assert.Single(world.Runs());

        await world.TalkAsync("f");
        await world.IdleAsync();
        Assert.Equal([TriggerKinds.TranscriptTokens, TriggerKinds.TranscriptTokens], world.Runs().Select(r => r.Trigger));
    }

    [Fact]
    public async Task Triggers_while_a_run_waits_join_it_and_it_reads_everything_unread()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var model = new ScriptedChatClient(_ => ScriptedReply.ToolCalls(("memory_finish_edits", null)));
        model.Then(async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return ScriptedReply.ToolCalls(("memory_finish_edits", null));
        });
        await using var world = await AgentWorld.CreateAsync(model, schedule: AgentWorld.ManualOnly with { EveryTurns = 1, IdleSeconds = 60 });

        await world.TalkAsync("one");
        await AgentWorld.UntilAsync(() => model.CallCount == 1, "the first run is in flight");
        await world.TalkAsync("two");
        world.Time.Advance(TimeSpan.FromSeconds(60));
        await AgentWorld.UntilAsync(() => world.Runs()[0].Coalesced == 1, "the idle trigger joined the queued run");
        await world.TalkAsync("three");

        var runs = world.Runs();
        Assert.Equal(2, runs.Count);
        Assert.Equal((RunStatus.Queued, TriggerKinds.Turns, 2), (runs[0].Status, runs[0].Trigger, runs[0].Coalesced)); // the idle period and "three" joined it

        release.SetResult();
        await world.IdleAsync();

        Assert.Equal(2, world.Runs().Count);
        Assert.Equal(2, model.CallCount);
        Assert.Equal((new SleepTimeWatermark(2, 0), new SleepTimeWatermark(6, 0)), (world.Runs()[0].ReadFrom, world.Runs()[0].ReadTo));
    }

    [Fact]
    public async Task An_added_document_is_read_in_the_background_and_its_findings_written_to_blocks()
    {
        var model = new ScriptedChatClient(ScriptedReply.ToolCalls(
            ("memory_insert", new { label = "human", text = "Works at the Analytical Engine Company since 2025-03-01" }),
            ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(model);

        var document = Assert.Single(await world.AddDocumentAsync("CV", "Ada joined the Analytical Engine Company on 1 March 2025."));
        await world.IdleAsync();

        var run = Assert.Single(world.Runs());
        Assert.Equal((TriggerKinds.Document, RunStatus.Succeeded), (run.Trigger, run.Status));
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
        await using var world = await AgentWorld.CreateAsync(model);
        const string text = "Chapter one: Ada met Babbage in 1833.\n\nChapter two: she translated Menabrea.\n\nChapter three: Note G, 1843.";

        var parts = await world.AddDocumentAsync("Life", text, partCharacters: 40);
        await world.IdleAsync();

        Assert.Equal(3, parts.Count);
        Assert.Equal("Chapter two: she translated Menabrea.", parts[1].Text);
        var runs = world.Runs().Reverse().ToList();
        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.Equal((TriggerKinds.Document, RunStatus.Succeeded), (r.Trigger, r.Status)));
        Assert.Equal([1L, 2L, 3L], runs.Select(r => r.ReadTo!.Value.DocumentSequence));
        Assert.Equal(3, model.CallCount);
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
    public void The_decision_is_pure_and_reads_only_what_is_unread()
    {
        var policy = AgentWorld.ManualOnly with { EveryTurns = 3, IdleSeconds = 60, TranscriptTokens = 100 };
        static UnreadSources Unread(int userTurns = 0, long tokens = 0, int documents = 0) =>
            new(userTurns * 2, userTurns, tokens, documents, userTurns + documents > 0 ? Now : null);

        var quiet = TriggerDecision.AfterAppend(policy, Unread(userTurns: 2, tokens: 99), Now);
        Assert.Null(quiet.Trigger);
        Assert.Equal(Now.AddSeconds(60), quiet.IdleAt);

        var turns = TriggerDecision.AfterAppend(policy, Unread(userTurns: 3), Now);
        Assert.Equal((TriggerKinds.Turns, Now), (turns.Trigger, turns.RunAt));
        Assert.Equal(TriggerKinds.TranscriptTokens, TriggerDecision.AfterAppend(policy, Unread(userTurns: 1, tokens: 100), Now).Trigger);
        Assert.Equal(TriggerKinds.Document, TriggerDecision.AfterAppend(policy, Unread(documents: 1), Now).Trigger);

        var nothing = TriggerDecision.AfterAppend(policy, Unread(), Now);
        Assert.Null(nothing.Trigger);
        Assert.Null(nothing.IdleAt);
        Assert.False(TriggerDecision.TimeTriggerDue(Unread()));
        Assert.True(TriggerDecision.TimeTriggerDue(Unread(userTurns: 1)));

        // Manual only: nothing fires on its own, whatever is unread.
        var manual = TriggerDecision.AfterAppend(AgentWorld.ManualOnly, Unread(userTurns: 50, tokens: 1_000_000), Now);
        Assert.Null(manual.Trigger);
        Assert.Null(manual.IdleAt);
    }

    [Theory]
    [InlineData(-1, 0, 0, "every_turns")]
    [InlineData(0, -1, 0, "idle_seconds")]
    [InlineData(0, 0, -1, "transcript_tokens")]
    public async Task Invalid_schedules_are_refused(int everyTurns, int idleSeconds, int tokens, string field)
    {
        var schedule = AgentWorld.ManualOnly with { EveryTurns = everyTurns, IdleSeconds = idleSeconds, TranscriptTokens = tokens };
        Assert.Equal(field, Assert.Throws<SleepTimeValidationException>(() => schedule.Validate()).Field);

        await using var world = await AgentWorld.CreateAsync(Finishes());
        Assert.Equal(field, (await Assert.ThrowsAsync<SleepTimeValidationException>(() => world.Stores.Agents.CreateSleepTimeAgentAsync(world.Agent.Id, "bad", schedule))).Field);
    }

    [Fact]
    public async Task Unknown_agents_and_kinds_are_a_typed_error()
    {
        await using var world = await AgentWorld.CreateAsync(Finishes());
        Assert.Equal("sleeper-nope", (await Assert.ThrowsAsync<AgentNotFoundException>(() => world.Scheduler.TriggerAsync(SleeperKind.Agent, "sleeper-nope"))).AgentId);
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => world.Scheduler.TriggerAsync(SleeperKind.Context, world.Sleeper.Id));
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => world.Scheduler.OnSourcesChangedAsync(SleeperKind.Context, world.Agent.Id));
        Assert.Empty(world.Runs());
    }
}
