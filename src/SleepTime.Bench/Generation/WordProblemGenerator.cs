using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using SleepTime.Bench.Datasets;

namespace SleepTime.Bench.Generation;

/// <summary>
/// Generates stateful word problems from templates, deterministically by seed: context <c>i</c> depends only on
/// the seed and <c>i</c>. Every quantity and step is a non-negative integer that meets the template's
/// constraints; draws that miss are redrawn.
/// </summary>
public sealed class WordProblemGenerator(IReadOnlyList<WordProblemTemplate> templates)
{
    private const int MaxDraws = 2_000;

    public WordProblemGenerator()
        : this(WordProblemTemplates.All)
    {
    }

    public IReadOnlyList<WordProblemTemplate> Templates { get; } = templates.Count > 0 ? templates : throw new ArgumentException("At least one template is needed.", nameof(templates));

    /// <summary>Generates <paramref name="contexts"/> contexts with <paramref name="minQuestions"/>..<paramref name="maxQuestions"/> questions each.</summary>
    public IEnumerable<GeneratedContext> Generate(int seed, int contexts, int minQuestions = 1, int maxQuestions = 10)
    {
        if (contexts < 0 || minQuestions < 1 || maxQuestions < minQuestions)
        {
            throw new ArgumentException("Need contexts >= 0 and 1 <= min questions <= max questions.");
        }

        for (var i = 0; i < contexts; i++)
        {
            var random = new Random(unchecked((seed * 1_000_003) + i));
            var template = Templates[i % Templates.Count];
            var wanted = random.Next(minQuestions, maxQuestions + 1);
            yield return GenerateOne(template, random, $"gen-{seed}-{i:D5}", wanted);
        }
    }

    public GeneratedContext GenerateOne(WordProblemTemplate template, Random random, string id, int questionCount)
    {
        var (words, values, steps) = DrawContext(template, random);
        var text = string.Join(" ", template.Sentences.Select(s => Fill(s, words, values)));

        var questions = new List<GeneratedQuestion>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; questions.Count < questionCount && attempt < questionCount * 20; attempt++)
        {
            var question = template.Questions[(questions.Count + attempt) % template.Questions.Count];
            if (DrawQuestion(template, question, random, words, values, steps, $"{id}/q{questions.Count + 1}") is { } drawn && seen.Add(drawn.Text))
            {
                questions.Add(drawn);
            }
        }

        return new GeneratedContext(id, template.Id, template.Domain, text, questions);
    }

    /// <summary>Writes contexts as Stateful GSM-Symbolic JSONL (one row per question) with the generator's extra fields.</summary>
    public static void WriteJsonl(string path, IEnumerable<GeneratedContext> contexts)
    {
        var rows = contexts.SelectMany(c => c.Questions.Select(q => new Dictionary<string, object?>
        {
            [StatefulFields.GsmContext] = c.Text,
            [StatefulFields.GsmQuestion] = q.Text,
            [StatefulFields.Answer] = q.Solution(),
            [StatefulFields.ContextId] = c.Id,
            ["question_id"] = q.Id,
            ["template"] = c.TemplateId,
            ["domain"] = c.Domain,
            ["answer_formula"] = q.AnswerFormula,
            ["steps"] = q.Steps.Select(s => new Dictionary<string, object>
            {
                ["name"] = s.Name,
                ["formula"] = s.Formula,
                ["value"] = s.Value,
                ["description"] = s.Description,
                ["from_context_only"] = s.FromContextOnly,
            }).ToList(),
        }));
        JsonLines.Write(path, rows, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static (Dictionary<string, string> Words, Dictionary<string, long> Values, List<SolutionStep> Steps) DrawContext(WordProblemTemplate template, Random random)
    {
        for (var draw = 0; draw < MaxDraws; draw++)
        {
            var words = template.Words.ToDictionary(w => w.Name, w => w.Options[random.Next(w.Options.Count)], StringComparer.Ordinal);
            var values = template.Quantities.ToDictionary(q => q.Name, q => q.Draw(random), StringComparer.Ordinal);
            if (DistinctWords(template.Words, words)
                && TryEvaluate(template.Steps, values, fromContextOnly: _ => true, out var steps)
                && Holds(template.Constraints, values))
            {
                return (words, values, steps);
            }
        }

        throw new InvalidOperationException($"Template '{template.Id}': no draw met the constraints in {MaxDraws} tries.");
    }

    private static GeneratedQuestion? DrawQuestion(
        WordProblemTemplate template,
        QuestionTemplate question,
        Random random,
        Dictionary<string, string> words,
        Dictionary<string, long> contextValues,
        List<SolutionStep> contextSteps,
        string id)
    {
        var questionNames = question.Quantities.Select(q => q.Name).ToHashSet(StringComparer.Ordinal);
        for (var draw = 0; draw < 200; draw++)
        {
            var values = new Dictionary<string, long>(contextValues, StringComparer.Ordinal);
            foreach (var quantity in question.Quantities)
            {
                values[quantity.Name] = quantity.Draw(random);
            }

            // A step needs the question when it reads a question quantity, directly or through another step.
            var needsQuestion = new HashSet<string>(questionNames, StringComparer.Ordinal);
            bool FromContext(StepDefinition step)
            {
                var needs = step.Formula.Names.Any(needsQuestion.Contains);
                if (needs)
                {
                    needsQuestion.Add(step.Name);
                }

                return !needs;
            }

            if (!TryEvaluate(question.Steps, values, FromContext, out var ownSteps) || !Holds(question.Constraints, values))
            {
                continue;
            }

            var all = contextSteps.Concat(ownSteps).ToList();
            var used = Dependencies(template, question, question.AnswerStep);
            var steps = all.Where(s => used.Contains(s.Name)).ToList();
            var answerFormula = template.Steps.Concat(question.Steps).First(s => s.Name == question.AnswerStep).Formula.Source;
            return new GeneratedQuestion(id, Fill(question.Text, words, values), values[question.AnswerStep], answerFormula, steps);
        }

        return null;
    }

    /// <summary>The steps the answer depends on, itself included.</summary>
    private static HashSet<string> Dependencies(WordProblemTemplate template, QuestionTemplate question, string answer)
    {
        var byName = template.Steps.Concat(question.Steps).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([answer]);
        while (pending.TryPop(out var name))
        {
            if (byName.TryGetValue(name, out var step) && used.Add(name))
            {
                foreach (var read in step.Formula.Names)
                {
                    pending.Push(read);
                }
            }
        }

        return used;
    }

    private static bool TryEvaluate(IReadOnlyList<StepDefinition> definitions, Dictionary<string, long> values, Func<StepDefinition, bool> fromContextOnly, out List<SolutionStep> steps)
    {
        steps = new List<SolutionStep>(definitions.Count);
        foreach (var definition in definitions)
        {
            long value;
            try
            {
                value = definition.Formula.Evaluate(values);
            }
            catch (InexactFormulaException)
            {
                return false;
            }

            if (value < 0)
            {
                return false;
            }

            var substituted = definition.Formula.Substitute(values);
            values[definition.Name] = value;
            steps.Add(new SolutionStep(definition.Name, definition.Formula.Source, substituted, value, definition.Description, fromContextOnly(definition)));
        }

        return true;
    }

    private static bool Holds(IReadOnlyList<Formula> constraints, Dictionary<string, long> values)
    {
        foreach (var constraint in constraints)
        {
            try
            {
                if (constraint.Evaluate(values) == 0)
                {
                    return false;
                }
            }
            catch (InexactFormulaException)
            {
                return false;
            }
        }

        return true;
    }

    private static bool DistinctWords(IReadOnlyList<WordChoice> choices, Dictionary<string, string> words)
    {
        // Two words drawn from the same list (two people, two items) must differ.
        return choices.GroupBy(c => c.Options).All(g => g.Select(c => words[c.Name]).Distinct(StringComparer.Ordinal).Count() == g.Count());
    }

    private static string Fill(string text, Dictionary<string, string> words, Dictionary<string, long> values) =>
        WordProblemTemplateBuilder.Placeholder().Replace(text, m =>
        {
            var name = m.Groups[1].Value;
            return words.TryGetValue(name, out var word) ? word : values[name].ToString("N0", CultureInfo.InvariantCulture);
        });
}
