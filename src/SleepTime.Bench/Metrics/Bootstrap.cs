namespace SleepTime.Bench.Metrics;

/// <summary>A confidence interval on an accuracy (or on a difference of accuracies).</summary>
public sealed record Interval(double Low, double High);

/// <summary>
/// Percentile bootstrap intervals, seeded so reports are reproducible. Where contexts hold several questions
/// (Multi-Query) their answers are correlated, so whole contexts are resampled (a cluster bootstrap); resampling
/// questions alone would make the interval too narrow.
/// </summary>
public static class Bootstrap
{
    public const int DefaultResamples = 1000;

    /// <summary>Interval on the mean of <paramref name="outcomes"/>, resampling questions independently.</summary>
    public static Interval AccuracyInterval(IReadOnlyList<bool> outcomes, int resamples = DefaultResamples, int seed = 0, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return MeanInterval(outcomes.Select(o => new[] { o ? 1.0 : 0 }).ToList(), resamples, seed, level);
    }

    /// <summary>Interval on the mean over all questions, resampling clusters (one per context) of per-question values.</summary>
    public static Interval ClusterAccuracyInterval(IReadOnlyList<IReadOnlyList<bool>> clusters, int resamples = DefaultResamples, int seed = 0, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        return MeanInterval(clusters.Select(c => c.Select(o => o ? 1.0 : 0).ToArray()).ToList(), resamples, seed, level);
    }

    /// <summary>
    /// Interval on the mean of per-question values (e.g. paired differences, +1/0/−1), resampling whole clusters.
    /// A cluster of one question each is the ordinary bootstrap.
    /// </summary>
    public static Interval MeanInterval(IReadOnlyList<double[]> clusters, int resamples = DefaultResamples, int seed = 0, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        var nonEmpty = clusters.Where(c => c.Length > 0).ToList();
        if (nonEmpty.Count == 0)
        {
            return new Interval(double.NaN, double.NaN);
        }

        var sums = nonEmpty.Select(c => c.Sum()).ToArray();
        var sizes = nonEmpty.Select(c => c.Length).ToArray();
        var random = new Random(seed);
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            double total = 0;
            long count = 0;
            for (var i = 0; i < sums.Length; i++)
            {
                var pick = random.Next(sums.Length);
                total += sums[pick];
                count += sizes[pick];
            }

            means[r] = total / count;
        }

        Array.Sort(means);
        var tail = (1 - level) / 2;
        return new Interval(Percentile(means, tail), Percentile(means, 1 - tail));
    }

    private static double Percentile(double[] sorted, double p)
    {
        var index = Math.Clamp((int)Math.Floor(p * (sorted.Length - 1)), 0, sorted.Length - 1);
        return sorted[index];
    }
}
