namespace SleepTime.Bench.Metrics;

/// <summary>Cost per query of the baseline and of sleep-time compute at one number of queries per context.</summary>
public sealed record MatchedCostPoint(int Queries, double Baseline, double SleepTime)
{
    /// <summary>How many times cheaper a query is with sleep-time compute (the paper's 2.5× at 10 queries).</summary>
    public double Ratio => SleepTime > 0 ? Baseline / SleepTime : double.NaN;
}

/// <summary>
/// Amortized cost per query <b>at matched accuracy</b>: a sleep-time arm against the baseline at the same
/// accuracy (the baseline's tokens interpolated on its frontier, never extrapolated). Baseline:
/// <c>t × baseline tokens</c>; sleep-time: <c>t × test tokens + sleep tokens per context / queries</c>, both in
/// sleep-token units, for 1 to N queries per context.
/// </summary>
public sealed record MatchedAmortization(
    string Family,
    string Arm,
    double Accuracy,
    double BaselineTokens,
    double SleepTestTokens,
    double SleepTokensPerContext,
    double PriceRatio,
    IReadOnlyList<MatchedCostPoint> Points)
{
    /// <summary>Queries per context from which sleep-time compute is cheaper; null when it never is.</summary>
    public double? BreakEvenQueries
    {
        get
        {
            var saving = PriceRatio * (BaselineTokens - SleepTestTokens);
            return saving > 0 ? SleepTokensPerContext / saving : null;
        }
    }

    /// <summary>
    /// For each sleep-time family, its most accurate frontier point that the baseline frontier also reaches, costed
    /// from 1 to <paramref name="maxQueries"/> queries per context.
    /// </summary>
    public static IReadOnlyList<MatchedAmortization> For(IReadOnlyList<FamilyReduction> reductions, IReadOnlyList<ArmSummary> arms, double t, int maxQueries = 10)
    {
        var byName = arms.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var result = new List<MatchedAmortization>();
        foreach (var reduction in reductions)
        {
            var point = reduction.Points.OrderByDescending(p => p.Accuracy).FirstOrDefault();
            if (point?.Label is not { } label || !byName.TryGetValue(label, out var arm))
            {
                continue;
            }

            var points = Enumerable.Range(1, maxQueries)
                .Select(n => new MatchedCostPoint(n, t * point.ReferenceTokens, (t * point.Tokens) + (arm.AvgSleepOutputTokensPerContext / n)))
                .ToList();
            result.Add(new MatchedAmortization(reduction.Family, label, point.Accuracy, point.ReferenceTokens, point.Tokens, arm.AvgSleepOutputTokensPerContext, t, points));
        }

        return result;
    }
}
