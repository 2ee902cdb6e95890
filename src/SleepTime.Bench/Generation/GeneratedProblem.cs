using System.Text;
using SleepTime.Bench.Datasets;

namespace SleepTime.Bench.Generation;

/// <summary>One solution step: a named quantity, its formula, the numbers put in, its value, and whether it needs the question.</summary>
public sealed record SolutionStep(string Name, string Formula, string Substituted, long Value, string Description, bool FromContextOnly);

/// <summary>A generated question with its exact answer and the steps that reach it.</summary>
public sealed record GeneratedQuestion(string Id, string Text, long Answer, string AnswerFormula, IReadOnlyList<SolutionStep> Steps)
{
    /// <summary>The worked solution in GSM style, ending in <c>#### answer</c>.</summary>
    public string Solution()
    {
        var builder = new StringBuilder();
        foreach (var step in Steps)
        {
            builder.Append(step.Description).Append(": ").Append(step.Formula);
            if (step.Substituted != step.Formula)
            {
                builder.Append(" = ").Append(step.Substituted);
            }

            builder.Append(" = ").Append(step.Value).Append('\n');
        }

        return builder.Append("#### ").Append(Answer).ToString();
    }
}

/// <summary>A generated context with its related questions (Multi-Query).</summary>
public sealed record GeneratedContext(string Id, string TemplateId, string Domain, string Text, IReadOnlyList<GeneratedQuestion> Questions)
{
    public BenchContext ToBenchContext() =>
        new(Id, Text, Questions.Select(q => new BenchQuestion(q.Id, q.Text, q.Answer.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList());
}
