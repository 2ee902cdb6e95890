using System.Text.RegularExpressions;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using SleepTime.Bench.Generation;
using SleepTime.Providers.Local.InlineTools;

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

        return await RenderAsync(seed, contexts).ConfigureAwait(false);
    }

    /// <summary>The same transcripts of a held-out seed, to measure a model on (never to train on).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The seed is a training seed.</exception>
    public async Task<List<Transcript>> HeldOutTranscriptsAsync(int seed, int contexts)
    {
        if (TrainingSeeds.IsTraining(seed))
        {
            throw new ArgumentOutOfRangeException(nameof(seed), seed, "A training seed is not held out.");
        }

        return await RenderAsync(seed, contexts).ConfigureAwait(false);
    }

    private async Task<List<Transcript>> RenderAsync(int seed, int contexts)
    {
        var random = new Random(seed);
        var result = new List<Transcript>();
        foreach (var context in generator.Generate(seed, contexts, minQuestions: 6, maxQuestions: 6))
        {
            var snapshot = context.ToBenchContext().ToSnapshot();

            // Each reply is written from the prompt it answers (which does not depend on it), so its references are
            // chosen against exactly the text the lookup will search at run time.
            var sleep = new CaptureClient(messages => LearnedContext(context, render(messages)));
            var slept = await new SleepPhase(sleep, prompts: prompts).RunAsync(snapshot, null, SleepOptions).ConfigureAwait(false);
            if (slept.LearnedContext is not { } learned)
            {
                throw new InvalidOperationException($"The captured sleep failed: {slept.Error}");
            }

            result.Add(new Transcript("sleep", render(sleep.Messages!), sleep.Reply!, [.. sleep.Messages!]));
            foreach (var question in context.Questions)
            {
                foreach (var arm in new[] { AnswerArm.Baseline, AnswerArm.SleepTime })
                {
                    var verbosity = random.Next(AnswerBudget.MinVerbosity, AnswerBudget.MaxVerbosity + 1);
                    var test = new CaptureClient(messages => Reply(context, question, verbosity, withLearned: arm == AnswerArm.SleepTime, render(messages)));
                    var options = new AskOptions { Arm = arm, Budget = new AnswerBudget(verbosity), IncludeRawContext = true };
                    await new TestPhase(test, prompts: prompts).AnswerAsync(snapshot, arm == AnswerArm.SleepTime ? learned : null, question.Text, options).ConfigureAwait(false);
                    var prompt = render(test.Messages!);
                    var reply = test.Reply!;
                    result.Add(new Transcript($"{(arm == AnswerArm.SleepTime ? "sleep-time" : "baseline")}:v={verbosity}", prompt, reply, [.. test.Messages!]));
                }
            }
        }

        return result;
    }

    /// <summary>The quantities the questions may need that follow from the context alone, one per line, written after <paramref name="prompt"/>.</summary>
    public static string LearnedContext(GeneratedContext context, string prompt)
    {
        var steps = context.Questions.SelectMany(q => q.Steps).Where(s => s.FromContextOnly).DistinctBy(s => s.Name).ToList();
        var names = steps.ToDictionary(s => s.Name, s => s.Description, StringComparer.Ordinal);
        var builder = new StringBuilder();
        foreach (var step in steps)
        {
            builder.Append(builder.Length == 0 ? "" : "\n").Append(Line(step, names, prompt + builder + (builder.Length == 0 ? "" : "\n")));
        }

        return builder.ToString();
    }

    /// <summary>The answer at <paramref name="verbosity"/> after <paramref name="prompt"/>: the last steps it shows, then the final sentence.</summary>
    public static string Reply(GeneratedContext context, GeneratedQuestion question, int verbosity, bool withLearned, string prompt)
    {
        var steps = question.Steps.Where(s => !withLearned || !s.FromContextOnly).ToList();
        var shown = verbosity >= AnswerBudget.MaxVerbosity ? steps : steps.Skip(Math.Max(0, steps.Count - verbosity)).ToList();
        var names = context.Questions.SelectMany(q => q.Steps).Where(s => s.FromContextOnly).Concat(question.Steps)
            .DistinctBy(s => s.Name).ToDictionary(s => s.Name, s => s.Description, StringComparer.Ordinal);
        var builder = new StringBuilder();
        foreach (var step in shown)
        {
            builder.Append(Line(step, names, prompt + builder)).Append('\n');
        }

        // "[=]" is the result of the line above: shorter than the answer step's description, which it stands for
        // when that step is the last one shown.
        var answer = question.Answer.ToString(CultureInfo.InvariantCulture);
        var final = "The answer is ";
        var reference = shown.Count > 0 && shown[^1] == question.Steps[^1]
            ? Reference("=", answer, prompt + builder + final, stepResult: false)
            : Reference(question.Steps[^1].Description, answer, prompt + builder + final, stepResult: true);
        return builder.Append(final).Append(reference is null ? "" : $"[{reference}] ").Append(answer).Append('.').ToString();
    }

    /// <summary>
    /// A step as one line, <c>Muffins baked each day: [and bakes] 3 * [tray holds] 22 = 66</c>, written after
    /// <paramref name="before"/>. Each number the step takes from the text or from an earlier step is preceded by a
    /// reference in brackets, the phrase that the local provider's lookup (<c>InlineLookup</c>) resolves to that
    /// number in the text so far: the shortest run of the words before it there, or the earlier step's description.
    /// A 0.9M-parameter model does not learn to copy numbers out of its prompt in the training this machine allows
    /// (see the model card); it learns which quantity to name, and the lookup and the calculator do the rest.
    /// </summary>
    /// <param name="names">The description of every step a formula may read, by name.</param>
    public static string Line(SolutionStep step, IReadOnlyDictionary<string, string> names, string before)
    {
        var operands = Operands().Matches(step.Formula).Select(m => m.Value).ToList();
        var numbers = Numbers().Matches(step.Substituted).ToList();
        var head = $"{step.Description}: ";
        if (operands.Count != numbers.Count)
        {
            return $"{head}{step.Substituted} = {step.Value.ToString(CultureInfo.InvariantCulture)}";
        }

        var line = new StringBuilder(head);
        var last = 0;
        for (var i = 0; i < numbers.Count; i++)
        {
            var number = numbers[i];
            line.Append(step.Substituted, last, number.Index - last);
            last = number.Index + number.Length;
            var reference = char.IsAsciiDigit(operands[i][0]) ? null
                : names.TryGetValue(operands[i], out var description) ? Reference(description, number.Value, before + line, stepResult: true)
                : QuantityReference(number.Value, before + line);
            line.Append(reference is null ? "" : $"[{reference}] ").Append(number.Value);
        }

        return line.Append(step.Substituted, last, step.Substituted.Length - last).Append(" = ").Append(step.Value.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>
    /// <paramref name="phrase"/> when the lookup resolves it to <paramref name="number"/> in <paramref name="text"/>, or
    /// (for an earlier step's result) when it resolves to nothing: a step the reply does not show, whose value the
    /// model must then write itself. Null when it would resolve to another number.
    /// </summary>
    private static string? Reference(string phrase, string number, string text, bool stepResult) =>
        InlineLookup.Resolve(phrase, text) is { } found ? (found == number ? phrase : null) : (stepResult ? phrase : null);

    /// <summary>
    /// A run of the words before an occurrence of <paramref name="number"/> that the lookup resolves to it: two words
    /// where they do (the most stable choice across prompts), else one, three or four; never a person's name, which
    /// the model would have to copy.
    /// </summary>
    private static string? QuantityReference(string number, string text)
    {
        foreach (var match in Regex.Matches(text, $@"(?<![\w.])\$?{Regex.Escape(number)}(?![\d])").Reverse())
        {
            var words = text[..match.Index].Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            foreach (var k in (int[])[2, 1, 3, 4])
            {
                if (k > words.Length || Enumerable.Range(words.Length - k, k).Any(j => IsName(words, j)))
                {
                    continue;
                }

                var phrase = string.Join(' ', words[^k..]);
                if (!phrase.Contains('[', StringComparison.Ordinal) && !phrase.Contains(']', StringComparison.Ordinal) && InlineLookup.Resolve(phrase, text) == number)
                {
                    return phrase;
                }
            }
        }

        return null;
    }

    /// <summary>A capitalised word that does not start a sentence.</summary>
    private static bool IsName(string[] words, int j) =>
        char.IsUpper(words[j][0]) && j > 0 && words[j - 1][^1] is not ('.' or '?' or '!');

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*|\d+")]
    private static partial Regex Operands();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Numbers();

    /// <summary>A model double that records the messages of its first call and replies with what <paramref name="reply"/> writes for them.</summary>
    private sealed class CaptureClient(Func<IList<ChatMessage>, string> reply) : IChatClient
    {
        public IList<ChatMessage>? Messages { get; private set; }

        public string? Reply { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (Messages is null)
            {
                Messages = [.. messages];
                Reply = reply(Messages);
            }

            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Reply)) { ModelId = "corpus" });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The corpus captures whole replies only.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
