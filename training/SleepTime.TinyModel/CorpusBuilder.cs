using System.Globalization;
using System.Text;
using System.Text.Json;
using SleepTime.Bench.Generation;

namespace SleepTime.TinyModel;

/// <summary>
/// Training transcripts from the project's word-problem generator, in ChatML: a sleep transcript per context (the
/// learned context is the quantities derivable from the context alone, written through <c>rethink_memory</c>) and
/// test transcripts per question, with and without the learned context.
/// </summary>
/// <remarks>
/// Skeleton: the prompts here are simplified stand-ins. The real corpus must render the engine's own sleep and test
/// prompts and the local provider's tool offer (see DESIGN.md), so the model sees at training time exactly what it
/// will see at run time.
/// </remarks>
public sealed class CorpusBuilder(WordProblemGenerator generator)
{
    public CorpusBuilder()
        : this(new WordProblemGenerator())
    {
    }

    /// <summary>The transcripts of <paramref name="contexts"/> contexts of one training seed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The seed is reserved for evaluation.</exception>
    public IEnumerable<string> Transcripts(int seed, int contexts)
    {
        if (!TrainingSeeds.IsTraining(seed))
        {
            throw new ArgumentOutOfRangeException(nameof(seed), seed, $"Seeds below {TrainingSeeds.First} or from {TrainingSeeds.First + TrainingSeeds.Count} on are for evaluation only.");
        }

        foreach (var context in generator.Generate(seed, contexts, minQuestions: 2, maxQuestions: 5))
        {
            var learned = LearnedContext(context);
            var call = $"{{\"name\":\"rethink_memory\",\"arguments\":{{\"new_memory\":{JsonSerializer.Serialize(learned)}}}}}";
            yield return Turn("system", "Sleep: study the context and write what later questions will need.") + Turn("user", context.Text) + Turn("assistant", call);
            foreach (var question in context.Questions)
            {
                var answer = "#### " + question.Answer.ToString(CultureInfo.InvariantCulture);
                yield return Turn("user", $"{context.Text}\n{question.Text}") + Turn("assistant", answer);
                yield return Turn("user", $"{learned}\n{context.Text}\n{question.Text}") + Turn("assistant", answer);
            }
        }
    }

    /// <summary>The quantities every question may need that follow from the context alone, one per line.</summary>
    public static string LearnedContext(GeneratedContext context)
    {
        var lines = new StringBuilder();
        foreach (var step in context.Questions.SelectMany(q => q.Steps).Where(s => s.FromContextOnly).DistinctBy(s => s.Name))
        {
            lines.Append(step.Description).Append(": ").Append(step.Substituted).Append(" = ").Append(step.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return lines.ToString().TrimEnd();
    }

    private static string Turn(string role, string content) => $"{CharVocabulary.TurnStart}{role}\n{content}{CharVocabulary.TurnEnd}\n";
}
