namespace SleepTime.Bench.Metrics;

/// <summary>One predictability bin: its log-probability range and the accuracy of two arms on its questions.</summary>
public sealed record PredictabilityBin(int Index, int Count, double MinLogProb, double MaxLogProb, double AccuracyA, double AccuracyB)
{
    /// <summary>Accuracy of arm A minus arm B (sleep-time minus baseline in the paper's Fig. 10).</summary>
    public double Gap => AccuracyA - AccuracyB;
}

/// <summary>Bins items into equal-count groups by a score, lowest scores first.</summary>
public static class Quintiles
{
    /// <summary>
    /// Sorts by score and cuts into <paramref name="bins"/> groups; item <c>i</c> of <c>n</c> (in sorted order) goes
    /// to bin <c>floor(i × bins / n)</c>, so sizes differ by at most one.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<T>> Split<T>(IEnumerable<T> items, Func<T, double> score, int bins = 5)
    {
        if (bins < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(bins), "At least one bin is needed.");
        }

        var sorted = items.OrderBy(score).ToList();
        var result = Enumerable.Range(0, bins).Select(_ => new List<T>()).ToList();
        for (var i = 0; i < sorted.Count; i++)
        {
            result[(int)((long)i * bins / sorted.Count)].Add(sorted[i]);
        }

        return result;
    }

    /// <summary>Predictability bins of questions scored by log P(question | context), with two arms' correctness.</summary>
    public static IReadOnlyList<PredictabilityBin> AccuracyGap(IEnumerable<(double LogProb, bool CorrectA, bool CorrectB)> questions, int bins = 5) =>
        Split(questions, q => q.LogProb, bins)
            .Select((bin, i) => bin.Count == 0
                ? new PredictabilityBin(i, 0, double.NaN, double.NaN, double.NaN, double.NaN)
                : new PredictabilityBin(i, bin.Count, bin.Min(q => q.LogProb), bin.Max(q => q.LogProb), bin.Average(q => q.CorrectA ? 1.0 : 0), bin.Average(q => q.CorrectB ? 1.0 : 0)))
            .ToList();
}
