using SleepTime.Bench.Generation;
using SleepTime.TinyModel.Training;

namespace SleepTime.TinyModel.Tests;

public sealed class CorpusBuilderTests
{
    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    [InlineData(TrainingSeeds.First - 1)]
    [InlineData(TrainingSeeds.First + TrainingSeeds.Count)]
    public async Task Evaluation_seeds_are_never_trained_on(int seed)
    {
        Assert.False(TrainingSeeds.IsTraining(seed));
        using var session = TrainingSession.Open(TinyModelConfig.Smoke(CharVocabulary.Instance.Count));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => session.Corpus.TranscriptsAsync(seed, 1));
    }

    [Fact]
    public async Task Transcripts_are_deterministic_inside_the_vocabulary_and_rendered_by_the_engine()
    {
        using var session = TrainingSession.Open(TinyModelConfig.Smoke(CharVocabulary.Instance.Count));
        var first = await session.Corpus.TranscriptsAsync(TrainingSeeds.First, 10);
        var again = await session.Corpus.TranscriptsAsync(TrainingSeeds.First, 10);

        Assert.Equal(first.Select(t => (t.Kind, t.Prompt, t.Reply)), again.Select(t => (t.Kind, t.Prompt, t.Reply)));
        Assert.All(first, t => Assert.DoesNotContain(CharVocabulary.Unknown, CharVocabulary.Instance.Encode((t.Prompt + t.Reply).Replace(CharVocabulary.TurnStart, "").Replace(CharVocabulary.TurnEnd, ""))));

        // The compact prompts, through the test phase's layout and the model's chat template.
        var level = PromptLibrary.Compact.Get("answer-level-0").Text;
        Assert.Contains(first, t => t.Kind == "baseline:v=0" && t.Prompt.Contains(level, StringComparison.Ordinal) && t.Prompt.EndsWith("<|im_start|>assistant\n", StringComparison.Ordinal));
        Assert.Contains(first, t => t.Kind.StartsWith("sleep-time", StringComparison.Ordinal) && t.Prompt.Contains("<learned_context>", StringComparison.Ordinal));
        Assert.Contains(first, t => t.Kind == "sleep" && t.Prompt.Contains(PromptLibrary.Compact.Get("sleep-math").Text[..20], StringComparison.Ordinal));
        Assert.All(first.Where(t => t.Kind != "sleep"), t => Assert.EndsWith(".", t.Reply));
    }

    [Fact]
    public async Task Every_transcript_fits_the_models_window_with_the_compact_prompts()
    {
        var config = TinyModelConfig.Default(CharVocabulary.Instance.Count);
        using var session = TrainingSession.Open(config);
        var transcripts = await session.Corpus.TranscriptsAsync(TrainingSeeds.First + 1, 36);

        var lengths = transcripts.Select(t => session.Data.Tokenize(t).Tokens.Length).ToList();

        Assert.All(lengths, length => Assert.True(length <= config.ContextLength, $"{length} tokens"));
        Assert.True(lengths.Order().ElementAt(lengths.Count / 2) <= 512, "half the transcripts fit 512 tokens");
    }

    [Fact]
    public async Task Only_the_reply_is_scored()
    {
        using var session = TrainingSession.Open(TinyModelConfig.Smoke(CharVocabulary.Instance.Count));
        var transcript = (await session.Corpus.TranscriptsAsync(TrainingSeeds.First, 1))[1];

        var example = session.Data.Tokenize(transcript);

        var replyTokens = (transcript.Reply + CharVocabulary.TurnEnd).Length - CharVocabulary.TurnEnd.Length + 1;
        Assert.Equal(replyTokens, example.ScoredCount);
        Assert.True(example.Scored[^1]);
        Assert.False(example.Scored[^(replyTokens + 1)]);
    }

    [Fact]
    public void The_learned_context_holds_only_what_follows_from_the_context_alone()
    {
        var context = new WordProblemGenerator().Generate(TrainingSeeds.First, 5, 3, 5).First(c => c.Questions.SelectMany(q => q.Steps).Any(s => s.FromContextOnly));

        var learned = CorpusBuilder.LearnedContext(context);

        var steps = context.Questions.SelectMany(q => q.Steps).ToList();
        var labels = learned.Split('\n').Select(line => line[..line.IndexOfAny([':', '('])].TrimEnd()).ToList();
        Assert.All(steps.Where(s => s.FromContextOnly), s => Assert.Contains(s.Description, labels));
        Assert.All(steps.Where(s => !s.FromContextOnly && steps.All(o => !o.FromContextOnly || o.Description != s.Description)), s => Assert.DoesNotContain(s.Description, labels));
    }

    [Fact]
    public void A_sleep_time_answer_leaves_out_the_steps_its_learned_context_holds()
    {
        var (context, question) = new WordProblemGenerator().Generate(TrainingSeeds.First, 20, 5, 5).SelectMany(c => c.Questions.Select(q => (c, q)))
            .First(p => p.q.Steps.Any(s => s.FromContextOnly) && p.q.Steps.Any(s => !s.FromContextOnly));

        var baseline = CorpusBuilder.Reply(context, question, 4, withLearned: false);
        var sleepTime = CorpusBuilder.Reply(context, question, 4, withLearned: true);

        Assert.Equal(question.Steps.Count + 1, baseline.Split('\n').Length);
        Assert.Equal(question.Steps.Count(s => !s.FromContextOnly) + 1, sleepTime.Split('\n').Length);
        Assert.Equal($"The answer is {question.Answer}.", CorpusBuilder.Reply(context, question, 0, withLearned: false));
    }

    [Fact]
    public void A_step_quotes_each_number_it_takes_from_the_text_with_the_two_words_before_it()
    {
        const string text = "Priya runs a small bakery and bakes 3 trays of muffins every morning. Each tray holds 22 muffins, and every muffin sells for $5. The bakery is open 5 days a week.";

        Assert.Equal(
            "Muffins baked each day (and bakes 3, tray holds 22): 3 * 22 = 66",
            CorpusBuilder.Line(new SolutionStep("daily", "trays * per_tray", "3 * 22", 66, "Muffins baked each day", true), text));

        // 5 is in the text twice, 66 not at all (an earlier step's result), and 2 is the formula's own constant: none is quoted.
        Assert.Equal(
            "Money from a sold-out day: 66 * 5 = 330",
            CorpusBuilder.Line(new SolutionStep("daily_sales", "daily * price", "66 * 5", 330, "Money from a sold-out day", true), text));
        Assert.Equal(
            "Two days (tray holds 22): 22 * 2 = 44",
            CorpusBuilder.Line(new SolutionStep("two", "per_tray * 2", "22 * 2", 44, "Two days", true), text));
    }
}

/// <summary>The local provider's prompt renderer is what a call sends, so the corpus trains on what the model is shown.</summary>
public sealed class RenderPromptTests
{
    [Fact]
    public async Task A_rendered_prompt_has_exactly_the_tokens_a_call_reads()
    {
        using var session = TrainingSession.Open(TinyModelConfig.Smoke(CharVocabulary.Instance.Count));
        List<Microsoft.Extensions.AI.ChatMessage> messages =
        [
            new(Microsoft.Extensions.AI.ChatRole.System, "Answer. Level 0: the answer only."),
            new(Microsoft.Extensions.AI.ChatRole.User, [new Microsoft.Extensions.AI.TextContent("<context>\nTom has 3 apples.\n</context>\n\n"), new Microsoft.Extensions.AI.TextContent("Question: How many apples?")]),
        ];

        var rendered = session.Client.RenderPrompt(messages);
        var reply = await session.Client.GetResponseAsync(messages, new Microsoft.Extensions.AI.ChatOptions { Temperature = 0, MaxOutputTokens = 2 });

        Assert.StartsWith("<|im_start|>system\nAnswer. Level 0: the answer only.<|im_end|>\n<|im_start|>user\n<context>", rendered, StringComparison.Ordinal);
        Assert.EndsWith("Question: How many apples?<|im_end|>\n<|im_start|>assistant\n", rendered, StringComparison.Ordinal);
        Assert.Equal(session.Model.Tokenize(rendered, addStart: true).Length, reply.Usage!.InputTokenCount);
    }
}
