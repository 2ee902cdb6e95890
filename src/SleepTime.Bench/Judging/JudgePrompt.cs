using SleepTime.Bench.Datasets;
using SleepTime.Bench.Provenance;

namespace SleepTime.Bench.Judging;

/// <summary>
/// The prompt a judge model grades with: the project's own for the benchmark (<c>judge-longmemeval</c>,
/// <c>judge-locomo</c>), or a file the user gives (a benchmark's official judge prompt, for numbers comparable with
/// published ones), recorded by content hash. Placeholders: <c>{{question}}</c>, <c>{{expected}}</c>,
/// <c>{{response}}</c>, <c>{{category}}</c>.
/// </summary>
public sealed record JudgePrompt(string Text, string Source)
{
    private static readonly PromptLibrary Own = PromptLibrary.LoadEmbedded(typeof(JudgePrompt).Assembly);

    public string Hash { get; } = ContentHash.OfText(Text);

    public static JudgePrompt For(DatasetKind kind) => kind switch
    {
        DatasetKind.LongMemEval => FromLibrary("judge-longmemeval"),
        DatasetKind.LoCoMo => FromLibrary("judge-locomo"),
        _ => throw new SleepTimeValidationException("judge", $"A judge grades the memory benchmarks (LongMemEval, LoCoMo); {kind} is graded by its answer rules."),
    };

    public static JudgePrompt FromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new SleepTimeValidationException("judge-prompt", $"The judge prompt file {path} does not exist.");
        }

        var text = File.ReadAllText(path).Trim();
        foreach (var required in new[] { "{{question}}", "{{expected}}", "{{response}}" })
        {
            if (!text.Contains(required, StringComparison.Ordinal))
            {
                throw new SleepTimeValidationException("judge-prompt", $"The judge prompt {path} has no {required} placeholder; it needs {{{{question}}}}, {{{{expected}}}} and {{{{response}}}} ({{{{category}}}} is optional).");
            }
        }

        return new JudgePrompt(text, Path.GetFullPath(path));
    }

    public string Render(BenchQuestion question, string response) => new PromptTemplate("judge", 1, Text).Render(
        ("question", question.Text), ("expected", question.Expected), ("response", response), ("category", question.Category ?? "unknown"));

    private static JudgePrompt FromLibrary(string id)
    {
        var template = Own.Get(id);
        return new JudgePrompt(template.Text, template.ToString());
    }
}
