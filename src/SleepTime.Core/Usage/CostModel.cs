namespace SleepTime;

/// <summary>
/// Prices per token for each phase. The paper's comparison prices a test-time token at <c>t</c> sleep-time tokens
/// (<see cref="FromRatio"/>); real deployments can set per-million prices for each model instead.
/// </summary>
public sealed record CostModel(
    decimal SleepInputPerMillion,
    decimal SleepOutputPerMillion,
    decimal TestInputPerMillion,
    decimal TestOutputPerMillion)
{
    /// <summary>The paper's default ratio: a test-time token costs ten sleep-time tokens.</summary>
    public const double PaperRatio = 10;

    /// <summary>
    /// The paper's accounting in units of one sleep-time token: generated tokens only (the paper plots output
    /// tokens), a test-time token worth <paramref name="t"/> units. Set <paramref name="priceInput"/> to charge
    /// input tokens at the same per-phase rate.
    /// </summary>
    public static CostModel FromRatio(double t = PaperRatio, bool priceInput = false)
    {
        if (!(t > 0) || double.IsInfinity(t))
        {
            throw new SleepTimeValidationException("t", "The test-to-sleep token price ratio t must be a positive number.");
        }

        var sleep = 1_000_000m;
        var test = (decimal)t * 1_000_000m;
        return new CostModel(priceInput ? sleep : 0, sleep, priceInput ? test : 0, test);
    }

    public decimal Price(ComputePhase phase, TokenUsage usage)
    {
        var (inputPrice, outputPrice) = phase == ComputePhase.Sleep
            ? (SleepInputPerMillion, SleepOutputPerMillion)
            : (TestInputPerMillion, TestOutputPerMillion);
        return ((usage.InputTokens * inputPrice) + (usage.OutputTokens * outputPrice)) / 1_000_000m;
    }

    /// <summary>
    /// Amortized cost of one query when <paramref name="queries"/> queries share one sleep:
    /// <c>test cost per query + sleep cost / queries</c>.
    /// </summary>
    public decimal AmortizedCostPerQuery(TokenUsage sleepUsage, TokenUsage testUsagePerQuery, int queries)
    {
        if (queries < 1)
        {
            throw new SleepTimeValidationException(nameof(queries), "The number of queries per context must be at least 1.");
        }

        return Price(ComputePhase.Test, testUsagePerQuery) + (Price(ComputePhase.Sleep, sleepUsage) / queries);
    }

    /// <summary>
    /// Amortized cost of one query from the sums: <c>(test cost of all queries + sleep cost) / queries</c>. Computed
    /// from the totals in decimals, so no per-query token count is rounded to a whole number first.
    /// </summary>
    public decimal AmortizedCostPerQueryFromTotals(TokenUsage sleepUsage, TokenUsage testUsageOfAllQueries, long queries)
    {
        if (queries < 1)
        {
            throw new SleepTimeValidationException(nameof(queries), "The number of queries must be at least 1.");
        }

        return (Price(ComputePhase.Test, testUsageOfAllQueries) + Price(ComputePhase.Sleep, sleepUsage)) / queries;
    }
}
