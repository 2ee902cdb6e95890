using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.Tests.Sleep;

public class SleepPhaseTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    [Fact]
    public async Task The_model_rethinks_then_finishes_and_its_memory_becomes_the_learned_context()
    {
        var model = new ScriptedChatClient(ScriptedReply.Rethink("draft"), ScriptedReply.Rethink("Ann has 3 apples; total fruit = 8."), ScriptedReply.Finish());

        var result = await new SleepPhase(model).RunAsync(Document("Ann has 3 apples. Bob has 5 pears."), null);

        Assert.Equal(SleepStatus.Succeeded, result.Status);
        var learned = result.LearnedContext!;
        Assert.Equal(1, learned.Version);
        Assert.Equal("Ann has 3 apples; total fruit = 8.", Assert.Single(learned.Blocks).Value);
        Assert.Equal(1, learned.Provenance.SourceVersion);
        Assert.Equal("sleep-general", learned.Provenance.PromptId);
        Assert.Equal(ScriptedReply.ModelId, learned.Provenance.Model);
        Assert.Equal(new TokenUsage(300, 60), learned.Provenance.Usage);
        Assert.Equal(learned.Provenance.Usage, result.Usage);
        var run = Assert.Single(result.Runs);
        Assert.Equal((3, 2, true), (run.ModelCalls, run.Rethinks, run.Finished));
    }

    [Fact]
    public async Task The_model_is_offered_exactly_the_two_paper_tools_and_sees_the_context()
    {
        var model = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("memory"));

        await new SleepPhase(model).RunAsync(Document("The train leaves at 9:15."), null);

        var call = Assert.Single(model.Calls);
        Assert.Equal(["rethink_memory", "finish_rethinking_memory"], call.Options!.Tools!.Select(t => t.Name));
        Assert.Contains("The train leaves at 9:15.", call.LastUserText);
        Assert.Equal(ChatRole.System, call.Messages[0].Role);
    }

    [Theory]
    [InlineData(SleepPromptVariant.General, "sleep-general")]
    [InlineData(SleepPromptVariant.Math, "sleep-math")]
    [InlineData(SleepPromptVariant.PartialProblem, "sleep-partial")]
    public async Task Each_prompt_variant_uses_its_own_versioned_instructions(SleepPromptVariant variant, string promptId)
    {
        var model = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("memory"));

        var result = await new SleepPhase(model).RunAsync(Document("x = 2"), null, new SleepOptions { Variant = variant });

        var firstLine = PromptLibrary.Default.Get(promptId).Text.Split('\n')[0];
        Assert.StartsWith(firstLine, model.Calls[0].Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal(promptId, result.LearnedContext!.Provenance.PromptId);
        Assert.DoesNotContain("{{", model.Calls[0].Messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_limit_memory_is_refused_with_a_tool_error_the_model_can_correct()
    {
        var model = new ScriptedChatClient(ScriptedReply.Rethink(new string('x', 150)), ScriptedReply.RethinkAndFinish("short enough"));

        var result = await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { BlockLimit = 100 });

        Assert.Equal("short enough", result.LearnedContext!.Blocks[0].Value);
        var refusal = Assert.Single(model.Calls[1].ToolResults);
        Assert.Contains("over the limit of 100", refusal.Result!.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, result.Runs[0].ToolErrors);
    }

    [Fact]
    public async Task Memory_that_stays_over_the_limit_fails_the_run()
    {
        var model = new ScriptedChatClient(ScriptedReply.Rethink(new string('x', 150)), ScriptedReply.Finish());

        var result = await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { BlockLimit = 100 });

        Assert.Equal(SleepStatus.Failed, result.Status);
        Assert.Equal(SleepFailureReason.OverLimit, result.FailureReason);
        Assert.Null(result.LearnedContext);
    }

    [Fact]
    public async Task Empty_memory_and_garbage_arguments_get_tool_errors()
    {
        var model = new ScriptedChatClient(
            ScriptedReply.Rethink("   "),
            ScriptedReply.ToolCalls(("rethink_memory", new { wrong_name = "x" })),
            ScriptedReply.ToolCalls(("delete_everything", null)),
            ScriptedReply.RethinkAndFinish("fine"));

        var result = await new SleepPhase(model).RunAsync(Document("text"), null);

        Assert.Equal("fine", result.LearnedContext!.Blocks[0].Value);
        Assert.Contains("empty", model.Calls[1].ToolResults[^1].Result!.ToString(), StringComparison.Ordinal);
        Assert.Contains("empty", model.Calls[2].ToolResults[^1].Result!.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"delete_everything\" not found", model.Calls[3].ToolResults[^1].Result!.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, result.Runs[0].ToolErrors);
    }

    [Fact]
    public async Task A_model_that_never_calls_a_tool_is_reminded_then_the_run_fails()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.Text("Here are my thoughts, in prose."));

        var result = await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { MaxReminders = 2 });

        Assert.Equal(SleepStatus.Failed, result.Status);
        Assert.Equal(SleepFailureReason.NoToolCalls, result.FailureReason);
        Assert.Equal(3, model.CallCount);
        Assert.Contains("rethink_memory", model.Calls[1].LastUserText, StringComparison.Ordinal);
        Assert.Equal(2, result.Runs[0].Reminders);
        Assert.Equal(new TokenUsage(300, 60), result.Usage);
    }

    [Fact]
    public async Task Every_rethink_failing_without_a_finish_fails_with_the_last_tool_error()
    {
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("rethink_memory", new { memory = "Ann has 3 apples." })),
            ScriptedReply.Text("I wrote it."),
            ScriptedReply.Text("Done."));

        var result = await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { MaxReminders = 1 });

        Assert.Equal(SleepStatus.Failed, result.Status);
        Assert.Equal(SleepFailureReason.ToolErrors, result.FailureReason);
        Assert.Contains("the new memory is empty", result.Error, StringComparison.Ordinal);
        Assert.Equal((1, 3), (result.Runs[0].ToolErrors, model.CallCount));
        Assert.Null(result.LearnedContext);
    }

    [Fact]
    public async Task Over_limit_memory_then_prose_fails_over_limit()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.Text("Too long to fit, sorry.")).Then(ScriptedReply.Rethink(new string('x', 150)));

        var result = await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { BlockLimit = 100, MaxReminders = 1 });

        Assert.Equal(SleepFailureReason.OverLimit, result.FailureReason);
        Assert.Contains("over the limit of 100", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_that_crosses_the_token_budget_stops_the_sleep_over_budget_with_no_memory()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.Rethink("draft"));

        var result = await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { MaxTotalTokens = 200 });

        Assert.Equal(SleepStatus.Failed, result.Status);
        Assert.Equal(SleepFailureReason.OverBudget, result.FailureReason);
        Assert.Null(result.LearnedContext);
        Assert.Equal(2, model.CallCount);
        Assert.Equal(new TokenUsage(200, 40), result.Usage);
        Assert.Equal((SleepFailureReason.OverBudget, 2, 1), (result.Runs[0].FailureReason!.Value, result.Runs[0].ModelCalls, result.Runs[0].Rethinks));
    }

    [Fact]
    public async Task The_token_budget_is_shared_by_the_k_runs()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("insight"));

        // One run spends 120 tokens, well under 250; three together cross it.
        var result = await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { Runs = 3, MaxTotalTokens = 250 });

        Assert.Equal(SleepFailureReason.OverBudget, result.FailureReason);
        Assert.Null(result.LearnedContext);
        Assert.Equal(new TokenUsage(300, 60), result.Usage);
    }

    [Fact]
    public async Task A_spent_token_budget_makes_no_model_call()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("insight"));

        var result = await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { Runs = 2, MaxTotalTokens = 0 });

        Assert.Equal(SleepFailureReason.OverBudget, result.FailureReason);
        Assert.Equal((0, TokenUsage.Zero), (model.CallCount, result.Usage));
    }

    [Fact]
    public async Task Plain_text_mode_keeps_to_the_token_budget()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.Text(new string('y', 500)));

        var result = await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { Mode = SleepMode.PlainText, BlockLimit = 100, MaxTotalTokens = 100 });

        Assert.Equal(SleepFailureReason.OverBudget, result.FailureReason);
        Assert.Equal(1, model.CallCount);
    }

    [Fact]
    public async Task Finishing_without_writing_memory_fails()
    {
        var model = new ScriptedChatClient(ScriptedReply.Finish());

        var result = await new SleepPhase(model).RunAsync(Document("text"), null);

        Assert.Equal(SleepFailureReason.NoMemory, result.FailureReason);
    }

    [Fact]
    public async Task The_run_stops_after_the_maximum_number_of_rethinks()
    {
        var rethinks = 0;
        var model = new ScriptedChatClient(_ => ScriptedReply.Rethink($"version {++rethinks}"));

        var result = await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { MaxRethinks = 4 });

        Assert.Equal(SleepStatus.Succeeded, result.Status);
        Assert.Equal(4, model.CallCount);
        Assert.Equal("version 4", result.LearnedContext!.Blocks[0].Value);
        Assert.False(result.Runs[0].Finished);
    }

    [Fact]
    public async Task A_model_that_writes_memory_then_stops_calling_tools_finishes_implicitly()
    {
        var model = new ScriptedChatClient(ScriptedReply.Rethink("kept"), ScriptedReply.Text("All done."));

        var result = await new SleepPhase(model).RunAsync(Document("text"), null);

        Assert.Equal("kept", result.LearnedContext!.Blocks[0].Value);
        Assert.Equal(2, model.CallCount);
    }

    [Fact]
    public async Task Plain_text_mode_takes_the_reply_without_thinking_sections()
    {
        var model = new ScriptedChatClient(ScriptedReply.Text("<think>hmm, let me see</think>\nTotal fruit: 8"));

        var result = await new SleepPhase(model).RunAsync(Document("Ann has 3 apples. Bob has 5 pears."), null, new SleepOptions { Mode = SleepMode.PlainText });

        Assert.Equal("Total fruit: 8", result.LearnedContext!.Blocks[0].Value);
        Assert.Null(model.Calls[0].Options!.Tools);
    }

    [Fact]
    public async Task Plain_text_mode_asks_once_for_a_shorter_reply_then_fails_if_still_too_long()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.Text(new string('y', 500)));

        var result = await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { Mode = SleepMode.PlainText, BlockLimit = 100, MaxReminders = 1 });

        Assert.Equal(SleepFailureReason.OverLimit, result.FailureReason);
        Assert.Equal(2, model.CallCount);
        Assert.Contains("the limit is 100", model.Calls[1].LastUserText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task K_independent_runs_are_concatenated_as_labelled_blocks()
    {
        var runs = 0;
        var model = new ScriptedChatClient(call =>
            call.ToolResults.Count == 0 ? ScriptedReply.RethinkAndFinish($"insight {Interlocked.Increment(ref runs)}") : ScriptedReply.Text("unexpected"));

        var result = await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { Runs = 3 });

        var learned = result.LearnedContext!;
        Assert.Equal(["learned_context_1", "learned_context_2", "learned_context_3"], learned.Blocks.Select(b => b.Label));
        Assert.Equal(["insight 1", "insight 2", "insight 3"], learned.Blocks.Select(b => b.Value).Order());
        Assert.Equal(3, learned.Provenance.Runs);
        Assert.Equal(3, model.CallCount);
        Assert.All(model.Calls, c => Assert.Equal(2, c.Messages.Count));
        Assert.Contains("[learned_context_2]", learned.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_failed_run_of_k_fails_the_whole_sleep()
    {
        var calls = 0;
        var model = new ScriptedChatClient(_ => Interlocked.Increment(ref calls) == 2
            ? throw new HttpRequestException("connection reset")
            : ScriptedReply.RethinkAndFinish("ok"));

        var result = await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { Runs = 3 });

        Assert.Equal(SleepStatus.Failed, result.Status);
        Assert.Equal(SleepFailureReason.ProviderError, result.FailureReason);
        Assert.Contains("connection reset", result.Error, StringComparison.Ordinal);
        Assert.Null(result.LearnedContext);
    }

    [Fact]
    public async Task Incremental_sleep_sees_the_previous_memory_and_only_the_new_material()
    {
        var context = Document("Ann has 3 apples.") with
        {
            Version = 2,
            Entries = [new ContextEntry(1, "Ann has 3 apples.", null, Now), new ContextEntry(2, "She buys 4 more.", null, Now)],
        };
        var previous = Learned(version: 1, sourceVersion: 1, "Ann: 3 apples.");
        var model = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("Ann: 7 apples."));

        var result = await new SleepPhase(model).RunAsync(context, previous);

        var input = model.Calls[0].LastUserText;
        Assert.Contains("Ann: 3 apples.", input, StringComparison.Ordinal);
        Assert.Contains("She buys 4 more.", input, StringComparison.Ordinal);
        Assert.DoesNotContain("Ann has 3 apples.", input, StringComparison.Ordinal);
        Assert.True(result.LearnedContext!.Provenance.Incremental);
        Assert.Equal((2L, 2L, 1L), (result.LearnedContext.Version, result.LearnedContext.Provenance.SourceVersion, result.LearnedContext.Provenance.PreviousVersion!.Value));
    }

    [Fact]
    public async Task After_a_replace_the_sleep_starts_from_the_whole_context()
    {
        var context = Document("Completely new text.") with { Version = 3, BaseVersion = 3, Entries = [new ContextEntry(3, "Completely new text.", null, Now)] };
        var model = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("new memory"));

        var result = await new SleepPhase(model).RunAsync(context, Learned(1, 2, "stale memory"));

        Assert.DoesNotContain("stale memory", model.Calls[0].LastUserText, StringComparison.Ordinal);
        Assert.False(result.LearnedContext!.Provenance.Incremental);
    }

    [Fact]
    public async Task An_up_to_date_learned_context_is_skipped_unless_forced()
    {
        var model = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("again"));
        var phase = new SleepPhase(model);

        var skipped = await phase.RunAsync(Document("text"), Learned(1, 1, "memory"));
        var forced = await phase.RunAsync(Document("text"), Learned(1, 1, "memory"), new SleepOptions { Force = true });

        Assert.Equal(SleepStatus.Skipped, skipped.Status);
        Assert.Equal(SleepStatus.Succeeded, forced.Status);
        Assert.Equal(1, model.CallCount);
    }

    [Fact]
    public async Task Reasoning_effort_and_output_limit_reach_the_model()
    {
        var model = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("m"));

        await new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { ReasoningEffort = ReasoningEffort.High, MaxOutputTokens = 4096 });

        Assert.Equal(ReasoningEffort.High, model.Calls[0].Options!.Reasoning!.Effort);
        Assert.Equal(4096, model.Calls[0].Options!.MaxOutputTokens);
    }

    [Fact]
    public async Task Cancellation_surfaces_as_cancellation()
    {
        using var cts = new CancellationTokenSource();
        var model = new ScriptedChatClient().Then(async (_, token) =>
        {
            await cts.CancelAsync();
            token.ThrowIfCancellationRequested();
            return ScriptedReply.Finish();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new SleepPhase(model).RunAsync(Document("text"), null, null, cts.Token));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(1, 65)]
    public async Task Invalid_options_are_rejected_before_any_model_call(int maxRethinks, int runs)
    {
        var model = new ScriptedChatClient();

        await Assert.ThrowsAsync<SleepTimeValidationException>(() => new SleepPhase(model).RunAsync(Document("text"), null, new SleepOptions { MaxRethinks = maxRethinks, Runs = runs }));
        Assert.Equal(0, model.CallCount);
    }

    private static ContextSnapshot Document(string text) =>
        new("ctx", ContextKind.Document, 1, 1, [new ContextEntry(1, text, null, Now)], Now, Now);

    private static LearnedContext Learned(long version, long sourceVersion, string memory) => new(
        "ctx",
        version,
        [Block.OfLearned("ctx", "learned_context", memory, 8000)],
        new LearnedContextProvenance(sourceVersion, "m", "sleep-general", 1, 1, false, null, TokenUsage.Zero, Now));
}
