namespace SleepTime.Bench.Metrics;

/// <summary>
/// Two arms compared on the questions both answered: their accuracies there, the difference A − B, and its 95%
/// bootstrap interval over the per-question differences (resampling whole contexts where contexts hold several
/// questions). Pairing removes the between-question variance two separate intervals would carry.
/// </summary>
public sealed record PairedComparison(string ArmA, string ArmB, int SharedQuestions, double AccuracyA, double AccuracyB, double Difference, Interval DifferenceCi, string IntervalUnit)
{
    public static PairedComparison Of(string armA, IReadOnlyList<GradedQuestion> a, string armB, IReadOnlyList<GradedQuestion> b, Func<GradedQuestion, bool> correct, int seed = 0)
    {
        var right = b.ToDictionary(q => q.QuestionId, StringComparer.Ordinal);
        var pairs = a.Where(q => right.ContainsKey(q.QuestionId)).Select(q => (q.ContextId, A: correct(q), B: correct(right[q.QuestionId]))).ToList();
        if (pairs.Count == 0)
        {
            return new PairedComparison(armA, armB, 0, double.NaN, double.NaN, double.NaN, new Interval(double.NaN, double.NaN), "question");
        }

        var clusters = pairs.GroupBy(p => p.ContextId, StringComparer.Ordinal).Select(g => g.Select(p => (p.A ? 1.0 : 0) - (p.B ? 1.0 : 0)).ToArray()).ToList();
        var clustered = clusters.Any(c => c.Length > 1);
        var cis = clustered ? clusters : pairs.Select(p => new[] { (p.A ? 1.0 : 0) - (p.B ? 1.0 : 0) }).ToList();
        var accuracyA = pairs.Average(p => p.A ? 1.0 : 0);
        var accuracyB = pairs.Average(p => p.B ? 1.0 : 0);
        return new PairedComparison(armA, armB, pairs.Count, accuracyA, accuracyB, accuracyA - accuracyB, Bootstrap.MeanInterval(cis, seed: seed), clustered ? "context" : "question");
    }
}
