using System.Text.RegularExpressions;

namespace SleepTime.Bench.Generation;

/// <summary>Builds a <see cref="WordProblemTemplate"/>, checking that every name is defined before it is used.</summary>
public sealed partial class WordProblemTemplateBuilder(string id, string domain)
{
    private readonly List<WordChoice> words = [];
    private readonly List<QuantityRange> quantities = [];
    private readonly List<Formula> constraints = [];
    private readonly List<string> sentences = [];
    private readonly List<StepDefinition> steps = [];
    private readonly List<QuestionTemplate> questions = [];
    private readonly HashSet<string> defined = new(StringComparer.Ordinal);
    private readonly HashSet<string> stepNames = new(StringComparer.Ordinal);

    public WordProblemTemplateBuilder Word(string name, IReadOnlyList<string> options)
    {
        Define(name);
        words.Add(new WordChoice(name, options));
        return this;
    }

    public WordProblemTemplateBuilder Quantity(string name, long min, long max, long step = 1)
    {
        Define(name);
        quantities.Add(Range(name, min, max, step));
        return this;
    }

    public WordProblemTemplateBuilder Require(string constraint)
    {
        constraints.Add(Known(Formula.Parse(constraint), defined));
        return this;
    }

    public WordProblemTemplateBuilder Sentence(string text)
    {
        CheckPlaceholders(text, defined);
        sentences.Add(text);
        return this;
    }

    public WordProblemTemplateBuilder Step(string name, string formula, string description)
    {
        var parsed = Known(Formula.Parse(formula), defined);
        Define(name);
        stepNames.Add(name);
        steps.Add(new StepDefinition(name, parsed, description));
        return this;
    }

    /// <summary>A question whose answer is a context step or a formula over context quantities.</summary>
    public WordProblemTemplateBuilder Question(string text, string answer, string? description = null) =>
        Question(text, q => q.Answer(answer, description ?? "answer"));

    public WordProblemTemplateBuilder Question(string text, Action<QuestionBuilder> configure)
    {
        var builder = new QuestionBuilder(new HashSet<string>(defined, StringComparer.Ordinal), new HashSet<string>(stepNames, StringComparer.Ordinal));
        configure(builder);
        questions.Add(builder.Build(text));
        return this;
    }

    public WordProblemTemplate Build()
    {
        if (sentences.Count == 0 || questions.Count == 0)
        {
            throw new InvalidOperationException($"Template '{id}' needs at least one sentence and one question.");
        }

        return new WordProblemTemplate(id, domain, words, quantities, constraints, sentences, steps, questions);
    }

    private void Define(string name)
    {
        if (!defined.Add(name))
        {
            throw new InvalidOperationException($"Template '{id}' defines '{name}' twice.");
        }
    }

    private static QuantityRange Range(string name, long min, long max, long step)
    {
        if (step <= 0 || max < min || (max - min) % step != 0)
        {
            throw new InvalidOperationException($"Quantity '{name}': {min}..{max} step {step} is not a valid range.");
        }

        return new QuantityRange(name, min, max, step);
    }

    private static Formula Known(Formula formula, HashSet<string> names)
    {
        var unknown = formula.Names.Where(n => !names.Contains(n)).ToList();
        return unknown.Count == 0 ? formula : throw new InvalidOperationException($"Formula '{formula}' reads undefined names: {string.Join(", ", unknown)}.");
    }

    private static void CheckPlaceholders(string text, HashSet<string> names)
    {
        var unknown = Placeholder().Matches(text).Select(m => m.Groups[1].Value).Where(n => !names.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Text '{text}' uses undefined placeholders: {string.Join(", ", unknown)}.");
        }
    }

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    internal static partial Regex Placeholder();

    /// <summary>Declares what one question adds: its own quantities, constraints and steps, and the answer.</summary>
    public sealed class QuestionBuilder
    {
        private readonly HashSet<string> names;
        private readonly HashSet<string> stepNames;
        private readonly List<QuantityRange> quantities = [];
        private readonly List<Formula> constraints = [];
        private readonly List<StepDefinition> steps = [];
        private string? answer;

        internal QuestionBuilder(HashSet<string> names, HashSet<string> stepNames)
        {
            this.names = names;
            this.stepNames = stepNames;
        }

        public QuestionBuilder Quantity(string name, long min, long max, long step = 1)
        {
            Add(name);
            quantities.Add(Range(name, min, max, step));
            return this;
        }

        public QuestionBuilder Require(string constraint)
        {
            constraints.Add(Known(Formula.Parse(constraint), names));
            return this;
        }

        public QuestionBuilder Step(string name, string formula, string description)
        {
            var parsed = Known(Formula.Parse(formula), names);
            Add(name);
            stepNames.Add(name);
            steps.Add(new StepDefinition(name, parsed, description));
            return this;
        }

        /// <summary>The answer: an existing step's name, or a formula that becomes the step "answer".</summary>
        public QuestionBuilder Answer(string formulaOrStep, string description = "answer")
        {
            if (stepNames.Contains(formulaOrStep))
            {
                answer = formulaOrStep;
                return this;
            }

            Step("answer", formulaOrStep, description);
            answer = "answer";
            return this;
        }

        internal QuestionTemplate Build(string text)
        {
            CheckPlaceholders(text, names);
            return new QuestionTemplate(text, quantities, constraints, steps, answer ?? throw new InvalidOperationException($"Question '{text}' has no answer."));
        }

        private void Add(string name)
        {
            if (!names.Add(name))
            {
                throw new InvalidOperationException($"Question defines '{name}', which already exists.");
            }
        }
    }
}
