namespace SleepTime.Bench.Generation;

/// <summary>An integer quantity drawn uniformly from <c>Min..Max</c> in steps of <c>Step</c>.</summary>
public sealed record QuantityRange(string Name, long Min, long Max, long Step = 1)
{
    public long Draw(Random random)
    {
        var choices = ((Max - Min) / Step) + 1;
        return Min + (random.NextInt64(choices) * Step);
    }
}

/// <summary>A word drawn from a list (a name, an item), used only in text.</summary>
public sealed record WordChoice(string Name, IReadOnlyList<string> Options);

/// <summary>A named intermediate quantity of a solution and how it is computed.</summary>
public sealed record StepDefinition(string Name, Formula Formula, string Description);

/// <summary>
/// A question about the context: its text (with <c>{placeholders}</c>), quantities only the question introduces,
/// constraints on them, its own steps, and the step that is the answer.
/// </summary>
public sealed record QuestionTemplate(
    string Text,
    IReadOnlyList<QuantityRange> Quantities,
    IReadOnlyList<Formula> Constraints,
    IReadOnlyList<StepDefinition> Steps,
    string AnswerStep);

/// <summary>
/// A word-problem template: words and quantities drawn at random, constraints they must meet, the context's
/// sentences, steps derivable from the context, and several questions. Build one with <see cref="Define"/>.
/// </summary>
public sealed record WordProblemTemplate(
    string Id,
    string Domain,
    IReadOnlyList<WordChoice> Words,
    IReadOnlyList<QuantityRange> Quantities,
    IReadOnlyList<Formula> Constraints,
    IReadOnlyList<string> Sentences,
    IReadOnlyList<StepDefinition> Steps,
    IReadOnlyList<QuestionTemplate> Questions)
{
    public static WordProblemTemplateBuilder Define(string id, string domain) => new(id, domain);

    /// <summary>This template with only its questions that bring no quantity of their own, so the context alone determines each answer.</summary>
    public WordProblemTemplate WithQuestionsFromContextOnly()
    {
        var kept = Questions.Where(q => q.Quantities.Count == 0).ToList();
        return kept.Count > 0 ? this with { Questions = kept } : throw new InvalidOperationException($"Template '{Id}' has no question the context alone answers.");
    }
}
