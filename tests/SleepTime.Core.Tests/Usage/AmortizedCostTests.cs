namespace SleepTime.Core.Tests.Usage;

public sealed class AmortizedCostTests
{
    [Fact]
    public void The_amortized_cost_from_totals_keeps_the_fraction_a_per_query_average_in_whole_tokens_would_drop()
    {
        var cost = CostModel.FromRatio(10);
        var sleep = new TokenUsage(0, 20);
        var testOfThreeQueries = new TokenUsage(0, 31);

        // (31 × 10 + 20) / 3 = 110; 31 / 3 truncated to 10 tokens would be 100 + 20 / 3.
        Assert.Equal(110m, cost.AmortizedCostPerQueryFromTotals(sleep, testOfThreeQueries, 3));
        Assert.NotEqual(cost.AmortizedCostPerQuery(sleep, new TokenUsage(0, 31 / 3), 3), cost.AmortizedCostPerQueryFromTotals(sleep, testOfThreeQueries, 3));
        Assert.Throws<SleepTimeValidationException>(() => cost.AmortizedCostPerQueryFromTotals(sleep, testOfThreeQueries, 0));
    }
}
