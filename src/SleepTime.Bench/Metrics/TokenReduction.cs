namespace SleepTime.Bench.Metrics;

/// <summary>How many times fewer test-time tokens one curve needs than a reference curve at one accuracy.</summary>
public sealed record ReductionAtAccuracy(double Accuracy, double ReferenceTokens, double Tokens, double Factor)
{
    /// <summary>The candidate arm measured at this point.</summary>
    public string? Label { get; init; }
}

/// <summary>
/// The test-token reduction factor at equal accuracy: for each point of the candidate's Pareto frontier whose accuracy
/// the reference frontier reaches, the reference's tokens at that accuracy (linearly interpolated between its two
/// neighbouring measured points) divided by the candidate's tokens. Accuracies outside the reference's measured range
/// are left out rather than extrapolated.
/// </summary>
public static class TokenReduction
{
    public static IReadOnlyList<ReductionAtAccuracy> AtEqualAccuracy(IEnumerable<CurvePoint> reference, IEnumerable<CurvePoint> candidate)
    {
        var baseline = ParetoFrontier.Of(reference);
        var results = new List<ReductionAtAccuracy>();
        foreach (var point in ParetoFrontier.Of(candidate))
        {
            if (TokensAt(baseline, point.Accuracy) is { } needed && point.Tokens > 0)
            {
                results.Add(new ReductionAtAccuracy(point.Accuracy, needed, point.Tokens, needed / point.Tokens) { Label = point.Label });
            }
        }

        return results;
    }

    /// <summary>The tokens the frontier needs for <paramref name="accuracy"/>, or null outside its measured range.</summary>
    public static double? TokensAt(IReadOnlyList<CurvePoint> frontier, double accuracy)
    {
        if (frontier.Count == 0 || accuracy < frontier[0].Accuracy || accuracy > frontier[^1].Accuracy)
        {
            return null;
        }

        for (var i = 0; i < frontier.Count; i++)
        {
            if (frontier[i].Accuracy == accuracy)
            {
                return frontier[i].Tokens;
            }

            if (i + 1 < frontier.Count && frontier[i + 1].Accuracy > accuracy)
            {
                var (a, b) = (frontier[i], frontier[i + 1]);
                return a.Tokens + ((accuracy - a.Accuracy) / (b.Accuracy - a.Accuracy) * (b.Tokens - a.Tokens));
            }
        }

        return null;
    }
}
