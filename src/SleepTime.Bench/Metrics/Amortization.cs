namespace SleepTime.Bench.Metrics;

/// <summary>Cost per query when several queries share one sleep, for one queries-per-context count.</summary>
public sealed record AmortizedCost(int QueriesPerContext, double CostPerQuery);

/// <summary>
/// The paper's amortized cost per query, in units of one sleep-time output token: <c>t × test output tokens per query
/// + sleep output tokens per context / queries per context</c> (<see cref="CostModel.FromRatio"/>'s accounting).
/// </summary>
public static class Amortization
{
    public static readonly int[] PaperQueriesPerContext = [1, 2, 5, 10];

    public static IReadOnlyList<AmortizedCost> Costs(double testOutputPerQuery, double sleepOutputPerContext, double t, IEnumerable<int>? queriesPerContext = null)
    {
        var model = CostModel.FromRatio(t);
        var perToken = (double)model.TestOutputPerMillion / 1_000_000;
        var sleepPerToken = (double)model.SleepOutputPerMillion / 1_000_000;
        return (queriesPerContext ?? PaperQueriesPerContext)
            .Select(n => n >= 1 ? n : throw new ArgumentOutOfRangeException(nameof(queriesPerContext), "Queries per context must be at least 1."))
            .Select(n => new AmortizedCost(n, (perToken * testOutputPerQuery) + (sleepPerToken * sleepOutputPerContext / n)))
            .ToList();
    }
}
