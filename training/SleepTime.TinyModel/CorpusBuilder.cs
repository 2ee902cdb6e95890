using System.Text.RegularExpressions;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using SleepTime.Bench.Generation;

namespace SleepTime.TinyModel;

/// <summary>One training example: the prompt as the model is shown it at run time, and the reply it should give.</summary>
/// <param name="Kind">"sleep", "baseline" or "sleep-time", with the verbosity for answers.</param>
/// <param name="Messages">The messages the engine sent, which <paramref name="Prompt"/> renders.</param>
public sealed record Transcript(string Kind, string Prompt, string Reply, IReadOnlyList<ChatMessage> Messages);

/// <summary>
/// Training transcripts from the project's word-problem generator, rendered by the engine itself: the sleep
/// phase's plain-text messages (<see cref="SleepPhase"/>) and the test phase's message layout
/// (<see cref="TestPhase"/>) are captured from the real phases, then formatted by the local provider's own prompt
/// renderer (its chat template). Nothing here copies a prompt, so a prompt change cannot silently put the model out of
/// distribution: the corpus follows it.
/// </summary>
/// <remarks>
/// Per context: one sleep transcript whose reply (the learned context) is every quantity derivable from the context
/// alone, one line each (<c>Muffins baked each day: 5 * 12 = 60</c>); per question, a baseline answer and a
/// sleep-time answer (learned context first, raw context kept), each at a verbosity drawn from the seed. Verbosity v
/// writes the last v solution steps (all at 4) before <c>The answer is N.</c>; the sleep-time answer writes only the
/// steps that need the question, because the others are already in its learned context.
/// </remarks>
public sealed partial class CorpusBuilder(WordProblemGenerator generator, PromptLibrary prompts, Func<IList<ChatMessage>, string> render)
{
    /// <summary>The sleep options the corpus (and the embedded default) sleeps with.</summary>
    public static SleepOptions SleepOptions { get; } = new()
    {
        Mode = SleepMode.PlainText,
        Variant = SleepPromptVariant.Math,
        Runs = 1,
        Incremental = false,
    };

    /// <summary>The transcripts of <paramref name="contexts"/> contexts of one training seed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The seed is reserved for evaluation.</exception>
    public async Task<List<Transcript>> TranscriptsAsync(int seed, int contexts)
    {
        if (!TrainingSeeds.IsTraining(seed))
        {
            throw new ArgumentOutOfRangeException(nameof(seed), seed, $"Seeds below {TrainingSeeds.First} or from {TrainingSeeds.First + TrainingSeeds.Count} on are for evaluation only.");
        }

        return await RenderAsync(seed, contexts, repeats: true).ConfigureAwait(false);
    }

    /// <summary>The same transcripts of a held-out seed, to measure a model on (never to train on).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The seed is a training seed.</exception>
    public async Task<List<Transcript>> HeldOutTranscriptsAsync(int seed, int contexts)
    {
        if (TrainingSeeds.IsTraining(seed))
        {
            throw new ArgumentOutOfRangeException(nameof(seed), seed, "A training seed is not held out.");
        }

        return await RenderAsync(seed, contexts, repeats: true).ConfigureAwait(false);
    }

    /// <summary>The instruction of a repeat transcript (training only: the protocol never asks for one).</summary>
    public const string RepeatInstruction = "Repeat the text exactly.";

    /// <param name="repeats">
    /// Add per context a transcript that repeats the context verbatim: the plainest lesson in copying what follows
    /// a phrase already seen (attention's induction), which every quoted number of a step line needs.
    /// </param>
    private async Task<List<Transcript>> RenderAsync(int seed, int contexts, bool repeats = false)
    {
        var random = new Random(seed);
        var result = new List<Transcript>();
        foreach (var context in generator.Generate(seed, contexts, minQuestions: 6, maxQuestions: 6))
        {
            var snapshot = context.ToBenchContext().ToSnapshot();
            var learnedText = LearnedContext(context);
            var sleep = new CaptureClient(learnedText);
            var slept = await new SleepPhase(sleep, prompts: prompts).RunAsync(snapshot, null, SleepOptions).ConfigureAwait(false);
            if (slept.LearnedContext is not { } learned)
            {
                throw new InvalidOperationException($"The captured sleep failed: {slept.Error}");
            }

            result.Add(new Transcript("sleep", render(sleep.Messages!), learnedText, [.. sleep.Messages!]));
            if (repeats)
            {
                List<ChatMessage> repeat = [new(ChatRole.System, RepeatInstruction), new(ChatRole.User, context.Text)];
                result.Add(new Transcript("repeat", render(repeat), context.Text, repeat));
            }

            foreach (var question in context.Questions)
            {
                foreach (var arm in new[] { AnswerArm.Baseline, AnswerArm.SleepTime })
                {
                    var verbosity = random.Next(AnswerBudget.MinVerbosity, AnswerBudget.MaxVerbosity + 1);
                    var reply = Reply(context, question, verbosity, withLearned: arm == AnswerArm.SleepTime);
                    var test = new CaptureClient(reply);
                    var options = new AskOptions { Arm = arm, Budget = new AnswerBudget(verbosity), IncludeRawContext = true };
                    await new TestPhase(test, prompts: prompts).AnswerAsync(snapshot, arm == AnswerArm.SleepTime ? learned : null, question.Text, options).ConfigureAwait(false);
                    result.Add(new Transcript($"{(arm == AnswerArm.SleepTime ? "sleep-time" : "baseline")}:v={verbosity}", render(test.Messages!), reply, [.. test.Messages!]));
                }
            }
        }

        return result;
    }

    /// <summary>The quantities the questions may need that follow from the context alone, one per line.</summary>
    public static string LearnedContext(GeneratedContext context) =>
        string.Join("\n", context.Questions.SelectMany(q => q.Steps).Where(s => s.FromContextOnly).DistinctBy(s => s.Name).Select(s => Line(s, context.Text)));

    /// <summary>The answer at <paramref name="verbosity"/>: the last steps it shows, then the final sentence.</summary>
    public static string Reply(GeneratedContext context, GeneratedQuestion question, int verbosity, bool withLearned)
    {
        var steps = question.Steps.Where(s => !withLearned || !s.FromContextOnly).ToList();
        var shown = verbosity >= AnswerBudget.MaxVerbosity ? steps : steps.Skip(Math.Max(0, steps.Count - verbosity)).ToList();
        var builder = new StringBuilder();
        foreach (var step in shown)
        {
            builder.Append(Line(step, context.Text + "\n" + question.Text)).Append('\n');
        }

        return builder.Append("The answer is ").Append(question.Answer.ToString(CultureInfo.InvariantCulture)).Append('.').ToString();
    }

    /// <summary>
    /// A step as one line, <c>Muffins baked each day (and bakes 3, tray holds 22): 3 * 22 = 66</c>: each number the
    /// step takes from <paramref name="source"/> is first quoted with the words before it there, so that writing
    /// it is copying what follows a phrase already written (what attention's induction learns first), not
    /// recalling which number of the text a quantity is; a number that is not in the text once (an earlier step's
    /// result) or is a constant of the formula is not quoted.
    /// </summary>
    public static string Line(SolutionStep step, string source)
    {
        var constants = Numbers().Matches(step.Formula).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        var quotes = Numbers().Matches(step.Substituted).Select(m => m.Value).Distinct(StringComparer.Ordinal)
            .Where(number => !constants.Contains(number))
            .Select(number => Quote(number, source)).OfType<string>().ToList();
        var cited = quotes.Count == 0 ? "" : $" ({string.Join(", ", quotes)})";
        return $"{step.Description}{cited}: {step.Substituted} = {step.Value.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The two words before <paramref name="number"/>'s only occurrence in <paramref name="source"/>, and the number (with a prefix such as <c>$</c>); null if it is not there exactly once.</summary>
    private static string? Quote(string number, string source)
    {
        var found = Regex.Matches(source, $@"(?<![\d.]){Regex.Escape(number)}(?![\d])");
        if (found.Count != 1)
        {
            return null;
        }

        var before = source[..found[0].Index];
        var wordStart = before.LastIndexOfAny([' ', '\n']) + 1;
        var prefix = before[wordStart..];
        var words = before[..wordStart].Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).TakeLast(2);
        return string.Join(" ", words.Append(prefix + number));
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Numbers();

    /// <summary>A model double that records the messages it was sent and replies with a fixed text.</summary>
    private sealed class CaptureClient(string reply) : IChatClient
    {
        public IList<ChatMessage>? Messages { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Messages ??= [.. messages];
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)) { ModelId = "corpus" });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The corpus captures whole replies only.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
