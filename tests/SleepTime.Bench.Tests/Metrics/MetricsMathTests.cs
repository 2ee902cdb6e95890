using SleepTime.Bench.Metrics;

namespace SleepTime.Bench.Tests.Metrics;

public sealed class MetricsMathTests
{
    [Fact]
    public void Pareto_frontier_keeps_only_points_that_no_cheaper_point_matches()
    {
        var frontier = ParetoFrontier.Of(
        [
            new("a", 100, 0.50),
            new("b", 200, 0.45),  // dominated by a
            new("c", 300, 0.70),
            new("d", 300, 0.60),  // same tokens, less accurate
            new("e", 50, 0.30),
            new("f", 400, 0.70),  // no gain over c
        ]);

        Assert.Equal(["e", "a", "c"], frontier.Select(p => p.Label));
    }

    [Fact]
    public void Reduction_interpolates_the_baseline_between_its_two_neighbouring_points()
    {
        // Baseline reaches 60% at 200 tokens and 80% at 600: at 70% it needs 400 by linear interpolation.
        CurvePoint[] baseline = [new("b0", 200, 0.60), new("b1", 600, 0.80)];
        CurvePoint[] sleep = [new("s0", 80, 0.70), new("s1", 150, 0.80), new("s2", 300, 0.90)];

        var reductions = TokenReduction.AtEqualAccuracy(baseline, sleep);

        Assert.Equal(2, reductions.Count);
        Assert.Equal(400, reductions[0].ReferenceTokens, 9);
        Assert.Equal(5.0, reductions[0].Factor, 9);      // 400 / 80
        Assert.Equal(600, reductions[1].ReferenceTokens, 9);
        Assert.Equal(4.0, reductions[1].Factor, 9);      // 600 / 150; 90% is beyond the baseline and left out
    }

    [Fact]
    public void Reduction_leaves_out_accuracies_below_the_baselines_cheapest_point()
    {
        Assert.Null(TokenReduction.TokensAt([new("b", 100, 0.5), new("c", 200, 0.6)], 0.4));
        Assert.Equal(100, TokenReduction.TokensAt([new("b", 100, 0.5), new("c", 200, 0.6)], 0.5));
    }

    [Fact]
    public void Amortized_cost_spreads_the_sleep_over_the_queries_of_a_context()
    {
        // t = 10, 20 test output tokens per query, 1,000 sleep output tokens per context:
        // 1 query: 200 + 1000 = 1200; 2: 200 + 500 = 700; 5: 200 + 200 = 400; 10: 200 + 100 = 300.
        var costs = Amortization.Costs(testOutputPerQuery: 20, sleepOutputPerContext: 1_000, t: 10);

        Assert.Equal([1, 2, 5, 10], costs.Select(c => c.QueriesPerContext));
        Assert.Equal([1200, 700, 400, 300], costs.Select(c => Math.Round(c.CostPerQuery, 9)));
    }

    [Fact]
    public void Amortized_cost_agrees_with_the_core_cost_model()
    {
        var core = CostModel.FromRatio(10).AmortizedCostPerQuery(new TokenUsage(5_000, 1_000), new TokenUsage(300, 20), 5);

        Assert.Equal((double)core, Amortization.Costs(20, 1_000, 10, [5])[0].CostPerQuery, 9);
    }

    [Fact]
    public void Quintiles_split_sorted_items_into_five_groups_differing_by_at_most_one()
    {
        var bins = Quintiles.Split(Enumerable.Range(1, 12).Reverse(), x => x);

        Assert.Equal([[1, 2, 3], [4, 5], [6, 7, 8], [9, 10], [11, 12]], bins.Select(b => b.ToArray()));
    }

    [Fact]
    public void Accuracy_gap_per_quintile_is_arm_A_minus_arm_B()
    {
        // Ten questions, log-probabilities -10..-1; A is right on the five most predictable, B on every even one.
        var items = Enumerable.Range(1, 10).Select(i => (LogProb: (double)-i, CorrectA: i <= 5, CorrectB: i % 2 == 0));

        var bins = Quintiles.AccuracyGap(items);

        Assert.Equal([-10, -8, -6, -4, -2], bins.Select(b => b.MinLogProb));
        Assert.Equal([0.0, 0.0, 0.5, 1.0, 1.0], bins.Select(b => b.AccuracyA));
        Assert.Equal([0.5, 0.5, 0.5, 0.5, 0.5], bins.Select(b => b.AccuracyB));
        Assert.Equal([-0.5, -0.5, 0.0, 0.5, 0.5], bins.Select(b => b.Gap));
    }

    [Fact]
    public void Bootstrap_interval_is_reproducible_contains_the_mean_and_collapses_when_all_agree()
    {
        var outcomes = Enumerable.Range(0, 200).Select(i => i % 4 != 0).ToList();   // 75%

        var first = Bootstrap.AccuracyInterval(outcomes, seed: 3);
        var again = Bootstrap.AccuracyInterval(outcomes, seed: 3);

        Assert.Equal(first, again);
        Assert.InRange(0.75, first.Low, first.High);
        Assert.True(first.High - first.Low is > 0.05 and < 0.2);
        Assert.Equal(new Interval(1, 1), Bootstrap.AccuracyInterval([true, true, true]));
    }
}
