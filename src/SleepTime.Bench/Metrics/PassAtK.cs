using SleepTime.Bench.Running;

namespace SleepTime.Bench.Metrics;

/// <summary>pass@j of a pass@k arm for j = 1..k: right when any of the first j samples is right, paying for all j.</summary>
public sealed record PassPoint(string Arm, int Samples, double AvgTestOutputTokens, double Accuracy);

public static class PassAtK
{
    public static IReadOnlyList<PassPoint> Curve(string arm, IEnumerable<AnswerRecord> answers, Func<AnswerRecord, bool> correct)
    {
        var questions = answers.GroupBy(a => a.QuestionId, StringComparer.Ordinal).Select(g => g.OrderBy(a => a.Sample).ToList()).ToList();
        if (questions.Count == 0)
        {
            return [];
        }

        var k = questions.Max(q => q.Count);
        return Enumerable.Range(1, k)
            .Select(j => new PassPoint(
                arm,
                j,
                questions.Average(q => (double)q.Take(j).Sum(a => a.Usage.Output)),
                questions.Average(q => q.Take(j).Any(correct) ? 1.0 : 0)))
            .ToList();
    }
}
