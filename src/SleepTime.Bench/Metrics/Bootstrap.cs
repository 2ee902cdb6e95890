namespace SleepTime.Bench.Metrics;

/// <summary>A confidence interval on an accuracy.</summary>
public sealed record Interval(double Low, double High);

/// <summary>Percentile bootstrap over questions, seeded so reports are reproducible.</summary>
public static class Bootstrap
{
    public static Interval AccuracyInterval(IReadOnlyList<bool> outcomes, int resamples = 1000, int seed = 0, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return new Interval(double.NaN, double.NaN);
        }

        var random = new Random(seed);
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var correct = 0;
            for (var i = 0; i < outcomes.Count; i++)
            {
                correct += outcomes[random.Next(outcomes.Count)] ? 1 : 0;
            }

            means[r] = (double)correct / outcomes.Count;
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
