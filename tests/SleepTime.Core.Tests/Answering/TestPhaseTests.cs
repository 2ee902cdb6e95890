using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.Tests.Answering;

public class TestPhaseTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;
    private static readonly ContextSnapshot Context = new("ctx", ContextKind.Document, 4, 1, [new ContextEntry(1, "Ann has 3 apples and buys 4 more.", null, Now)], Now, Now);
    private static readonly LearnedContext Learned = new(
        "ctx", 2, [Block.OfLearned("ctx", "learned_context", "apples_now = 3 + 4 = 7", 8000)],
        new LearnedContextProvenance(4, "m", "sleep-math", 1, 1, false, 1, TokenUsage.Zero, Now));

    [Fact]
    public async Task The_question_comes_last_after_a_prefix_that_is_the_same_for_every_query()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.Text("The answer is 7."));
        var phase = new TestPhase(model);

        await phase.AnswerAsync(Context, Learned, "How many apples?");
        await phase.AnswerAsync(Context, Learned, "How many apples if she eats one?");

        var first = model.Calls[0].Messages;
        var second = model.Calls[1].Messages;
        Assert.Equal([ChatRole.System, ChatRole.User], first.Select(m => m.Role));
        Assert.Equal(first[0].Text, second[0].Text);
        var firstParts = first[1].Contents.OfType<TextContent>().Select(t => t.Text).ToList();
        var secondParts = second[1].Contents.OfType<TextContent>().Select(t => t.Text).ToList();
        Assert.Equal(firstParts[0], secondParts[0]);
        Assert.Contains("apples_now = 3 + 4 = 7", firstParts[0], StringComparison.Ordinal);
        Assert.Contains("Ann has 3 apples", firstParts[0], StringComparison.Ordinal);
        Assert.True(firstParts[0].IndexOf("apples_now", StringComparison.Ordinal) < firstParts[0].IndexOf("Ann has", StringComparison.Ordinal));
        Assert.Equal("Question: How many apples?", firstParts[^1]);
    }

    [Fact]
    public async Task The_answer_records_what_it_used_and_what_it_cost()
    {
        var model = new ScriptedChatClient(ScriptedReply.Text("Ann has 7 apples. The answer is 7.", 900, 12, cachedTokens: 640));

        var answer = await new TestPhase(model).AnswerAsync(Context, Learned, "How many apples?", new AskOptions { Budget = AnswerBudget.Level(1) });

        Assert.Equal("7", answer.FinalAnswer);
        Assert.Equal(2, answer.LearnedContextVersion);
        Assert.Equal(4, answer.ContextVersion);
        Assert.Equal(AnswerArm.SleepTime, answer.Arm);
        Assert.Equal(new TokenUsage(900, 12, 0, 640), answer.Usage);
        Assert.Equal("answer.v1", answer.Prompt);
        Assert.Equal(ScriptedReply.ModelId, answer.Model);
    }

    [Fact]
    public async Task Each_verbosity_level_has_its_own_instruction()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.Text("The answer is 7."));
        var phase = new TestPhase(model);

        for (var level = 0; level <= 4; level++)
        {
            await phase.AnswerAsync(Context, Learned, "How many?", new AskOptions { Budget = AnswerBudget.Level(level) });
        }

        var systems = model.Calls.Select(c => c.Messages[0].Text).ToList();
        Assert.Equal(5, systems.Distinct().Count());
        Assert.Contains("one sentence only", systems[0], StringComparison.Ordinal);
        Assert.Contains("step by step", systems[4], StringComparison.Ordinal);
        Assert.All(systems, s => Assert.DoesNotContain("{{", s, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    public void Unknown_verbosity_levels_are_rejected(int level)
    {
        var error = Assert.Throws<SleepTimeValidationException>(() => AnswerBudget.Level(level));
        Assert.Equal("verbosity", error.Field);
    }

    [Fact]
    public void A_non_positive_output_limit_is_rejected()
    {
        Assert.Throws<SleepTimeValidationException>(() => new AnswerBudget(2, maxOutputTokens: 0));
    }

    [Fact]
    public async Task Budget_limits_reach_the_model()
    {
        var model = new ScriptedChatClient(ScriptedReply.Text("The answer is 7."));

        await new TestPhase(model).AnswerAsync(Context, Learned, "How many?", new AskOptions { Budget = new AnswerBudget(0, 64, ReasoningEffort.Low) });

        Assert.Equal(64, model.Calls[0].Options!.MaxOutputTokens);
        Assert.Equal(ReasoningEffort.Low, model.Calls[0].Options!.Reasoning!.Effort);
    }

    [Fact]
    public async Task The_baseline_arm_never_sees_the_learned_context()
    {
        var model = new ScriptedChatClient(ScriptedReply.Text("The answer is 7."));

        var answer = await new TestPhase(model).AnswerAsync(Context, Learned, "How many?", new AskOptions { Arm = AnswerArm.Baseline, IncludeRawContext = false });

        Assert.Null(answer.LearnedContextVersion);
        var all = string.Join("\n", model.Calls[0].Messages.Select(m => m.Text));
        Assert.DoesNotContain("apples_now", all, StringComparison.Ordinal);
        Assert.Contains("Ann has 3 apples", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_raw_context_can_be_left_out_when_the_learned_context_suffices()
    {
        var model = new ScriptedChatClient(ScriptedReply.Text("The answer is 7."));

        await new TestPhase(model).AnswerAsync(Context, Learned, "How many?", new AskOptions { IncludeRawContext = false });

        var all = string.Join("\n", model.Calls[0].Messages.Select(m => m.Text));
        Assert.DoesNotContain("Ann has 3 apples", all, StringComparison.Ordinal);
        Assert.Contains("apples_now", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_context_only_arm_asks_no_question()
    {
        var model = new ScriptedChatClient(ScriptedReply.Text("Likely question: how many apples? The answer is 7."));

        var answer = await new TestPhase(model).AnswerAsync(Context, Learned, null, new AskOptions { Arm = AnswerArm.ContextOnly });

        Assert.Null(answer.Question);
        Assert.Equal("7", answer.FinalAnswer);
        Assert.Contains("Likely question:", model.Calls[0].Messages[1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Question:", model.Calls[0].Messages[1].Text.Replace("Likely question:", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public async Task An_empty_question_is_rejected_without_calling_the_model(string? question)
    {
        var model = new ScriptedChatClient();

        var error = await Assert.ThrowsAsync<SleepTimeValidationException>(() => new TestPhase(model).AnswerAsync(Context, Learned, question));

        Assert.Equal("question", error.Field);
        Assert.Equal(0, model.CallCount);
    }

    [Theory]
    [InlineData("The answer is 42.", "42")]
    [InlineData("So the answer is: **$1,080**", "$1,080")]
    [InlineData("Thus \\boxed{\\frac{1}{2}} is it.", "\\frac{1}{2}")]
    [InlineData("First 3, then 12, finally 1,250.", "1250")]
    [InlineData("No numbers here.", null)]
    public void Final_answers_are_pulled_from_the_reply(string reply, string? expected)
    {
        Assert.Equal(expected, FinalAnswerExtractor.Extract(reply));
    }
}
