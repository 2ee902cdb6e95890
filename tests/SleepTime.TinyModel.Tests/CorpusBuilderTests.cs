using SleepTime.Bench.Generation;

namespace SleepTime.TinyModel.Tests;

public sealed class CorpusBuilderTests
{
    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    [InlineData(TrainingSeeds.First - 1)]
    [InlineData(TrainingSeeds.First + TrainingSeeds.Count)]
    public void Evaluation_seeds_are_never_trained_on(int seed)
    {
        Assert.False(TrainingSeeds.IsTraining(seed));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CorpusBuilder().Transcripts(seed, 1).ToList());
    }

    [Fact]
    public void Transcripts_are_deterministic_and_inside_the_vocabulary()
    {
        var first = new CorpusBuilder().Transcripts(TrainingSeeds.First, 10).ToList();
        var again = new CorpusBuilder().Transcripts(TrainingSeeds.First, 10).ToList();

        Assert.Equal(first, again);
        Assert.All(first, t => Assert.DoesNotContain(CharVocabulary.Unknown, CharVocabulary.Instance.Encode(t.Replace(CharVocabulary.TurnStart, "").Replace(CharVocabulary.TurnEnd, ""))));
        Assert.Contains(first, t => t.Contains("\"name\":\"rethink_memory\"", StringComparison.Ordinal));
    }

    [Fact]
    public void The_learned_context_holds_only_what_follows_from_the_context_alone()
    {
        var context = new WordProblemGenerator().Generate(TrainingSeeds.First, 5, 3, 5).First(c => c.Questions.SelectMany(q => q.Steps).Any(s => s.FromContextOnly));

        var learned = CorpusBuilder.LearnedContext(context);

        var steps = context.Questions.SelectMany(q => q.Steps).ToList();
        Assert.All(steps.Where(s => s.FromContextOnly), s => Assert.Contains($"{s.Description}: ", learned));
        Assert.All(steps.Where(s => !s.FromContextOnly && steps.All(o => !o.FromContextOnly || o.Description != s.Description)), s => Assert.DoesNotContain($"{s.Description}: ", learned));
    }
}
