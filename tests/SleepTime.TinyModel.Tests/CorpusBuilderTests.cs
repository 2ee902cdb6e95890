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

        var learned = CorpusBuilder.LearnedContext(context, context.Text);

        var steps = context.Questions.SelectMany(q => q.Steps).ToList();
        var labels = learned.Split('\n').Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)]).ToList();
        Assert.All(steps.Where(s => s.FromContextOnly), s => Assert.Contains(s.Description, labels));
        Assert.All(steps.Where(s => !s.FromContextOnly && steps.All(o => !o.FromContextOnly || o.Description != s.Description)), s => Assert.DoesNotContain(s.Description, labels));
    }

    [Fact]
    public void A_sleep_time_answer_leaves_out_the_steps_its_learned_context_holds()
    {
        var (context, question) = new WordProblemGenerator().Generate(TrainingSeeds.First, 20, 5, 5).SelectMany(c => c.Questions.Select(q => (c, q)))
            .First(p => p.q.Steps.Any(s => s.FromContextOnly) && p.q.Steps.Any(s => !s.FromContextOnly));
        var prompt = context.Text + "\n" + question.Text;

        var baseline = CorpusBuilder.Reply(context, question, 4, withLearned: false, prompt);
        var sleepTime = CorpusBuilder.Reply(context, question, 4, withLearned: true, prompt);

        Assert.Equal(question.Steps.Count + 1, baseline.Split('\n').Length);
        Assert.Equal(question.Steps.Count(s => !s.FromContextOnly) + 1, sleepTime.Split('\n').Length);
        Assert.Matches($@"^The answer is (\[[^\]]+\] )?{question.Answer}\.$", CorpusBuilder.Reply(context, question, 0, withLearned: false, prompt));
    }

    [Fact]
    public void A_step_names_the_phrase_each_number_comes_from()
    {
        const string text = "Priya runs a small bakery and bakes 3 trays of muffins every morning. Each tray holds 22 muffins, and every muffin sells for $5. The bakery is open 7 days a week.\n";
        var names = new Dictionary<string, string> { ["daily"] = "Muffins baked each day" };

        var daily = CorpusBuilder.Line(new SolutionStep("daily", "trays * per_tray", "3 * 22", 66, "Muffins baked each day", true), names, text);
        Assert.Equal("Muffins baked each day: [and bakes] 3 * [tray holds] 22 = 66", daily);

        // An earlier step by its description; the formula's own constant has no reference.
        Assert.Equal(
            "Money from a sold-out day: [Muffins baked each day] 66 * [sells for] 5 = 330",
            CorpusBuilder.Line(new SolutionStep("daily_sales", "daily * price", "66 * 5", 330, "Money from a sold-out day", true), names, text + daily + "\n"));
        Assert.Equal(
            "Two days: [Muffins baked each day] 66 * 2 = 132",
            CorpusBuilder.Line(new SolutionStep("two", "daily * 2", "66 * 2", 132, "Two days", true), names, text + daily + "\n"));
    }

    [Fact]
    public async Task Every_reference_in_the_corpus_resolves_to_its_number_or_to_nothing_where_the_step_is_not_shown()
    {
        using var session = TrainingSession.Open(TinyModelConfig.Smoke(CharVocabulary.Instance.Count));
        var transcripts = await session.Corpus.TranscriptsAsync(TrainingSeeds.First, 20);
        int resolved = 0, unresolved = 0;

        foreach (var t in transcripts)
        {
            foreach (System.Text.RegularExpressions.Match reference in System.Text.RegularExpressions.Regex.Matches(t.Reply, @"\[(?<phrase>[^\]\n]+)\] (?<number>\d+)"))
            {
                // What the lookup sees when the model closes the bracket: the prompt and the reply before it.
                var found = SleepTime.Providers.Local.InlineTools.InlineLookup.Resolve(reference.Groups["phrase"].Value, t.Prompt + t.Reply[..reference.Index]);
                Assert.True(found is null || found == reference.Groups["number"].Value, $"[{reference.Groups["phrase"].Value}] resolves to {found}, not {reference.Groups["number"].Value}, in {t.Kind}:\n{t.Reply}");
                (found is null ? ref unresolved : ref resolved)++;
            }
        }

        // Nothing resolves only where a step is hidden (a short baseline answer): far fewer than those that do.
        Assert.True(resolved > 5 * unresolved, $"{resolved} references resolve, {unresolved} do not");
        Assert.All(transcripts.Where(t => t.Kind == "sleep"), t => Assert.DoesNotContain(t.Reply.Split('\n'), l => !l.Contains('[', StringComparison.Ordinal)));
    }
}
