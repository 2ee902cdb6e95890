using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.Tests.Usage;

public class UsageAndCostTests
{
    private readonly UsageMeter meter = new(O200kTokenCounter.Instance);

    [Fact]
    public void Reported_usage_is_taken_as_is_including_cached_and_reasoning_tokens()
    {
        var usage = meter.Measure([new ChatMessage(ChatRole.User, "hi")], ScriptedReply.Text("ok", 1234, 56, reasoningTokens: 40, cachedTokens: 1024));

        Assert.Equal(new TokenUsage(1234, 56, 40, 1024, Estimated: false), usage);
    }

    [Fact]
    public void Missing_usage_is_counted_with_o200k_and_marked_estimated()
    {
        const string reply = "The answer is 42 because six times seven is forty-two.";
        var prompt = new[] { new ChatMessage(ChatRole.User, "What is six times seven?") };

        var usage = meter.Measure(prompt, ScriptedReply.TextWithoutUsage(reply));

        Assert.True(usage.Estimated);
        Assert.Equal(O200kTokenCounter.Instance.CountTokens(reply), usage.OutputTokens);
        Assert.Equal(O200kTokenCounter.Instance.CountTokens("What is six times seven?") + 4, usage.InputTokens);
        Assert.InRange(usage.OutputTokens, 8, 20);
    }

    [Fact]
    public void Usage_adds_up_and_stays_estimated_once_any_part_was()
    {
        var sum = new TokenUsage(10, 1) + new TokenUsage(5, 2, 1, 3, Estimated: true);

        Assert.Equal(new TokenUsage(15, 3, 1, 3, true), sum);
        Assert.Equal(18, sum.TotalTokens);
    }

    [Fact]
    public void Paper_ratio_amortizes_sleep_tokens_over_the_queries_on_a_context()
    {
        var cost = CostModel.FromRatio(10);
        var sleep = new TokenUsage(InputTokens: 5000, OutputTokens: 1000);
        var perQuery = new TokenUsage(InputTokens: 3000, OutputTokens: 100);

        // t * test + sleep / n, in sleep-token units, output tokens only.
        Assert.Equal(10 * 100 + 1000m, cost.AmortizedCostPerQuery(sleep, perQuery, 1));
        Assert.Equal(10 * 100 + 100m, cost.AmortizedCostPerQuery(sleep, perQuery, 10));
    }

    [Fact]
    public void Input_tokens_can_be_priced_too()
    {
        var cost = CostModel.FromRatio(2, priceInput: true);

        Assert.Equal(2 * (30 + 10) + (50 + 20) / 2m, cost.AmortizedCostPerQuery(new TokenUsage(50, 20), new TokenUsage(30, 10), 2));
    }

    [Fact]
    public void Per_million_prices_apply_per_phase()
    {
        var cost = new CostModel(SleepInputPerMillion: 1m, SleepOutputPerMillion: 4m, TestInputPerMillion: 0.5m, TestOutputPerMillion: 2m);

        Assert.Equal((2_000_000 * 1m + 1_000_000 * 4m) / 1_000_000m, cost.Price(ComputePhase.Sleep, new TokenUsage(2_000_000, 1_000_000)));
        Assert.Equal(0.5m + 2m, cost.Price(ComputePhase.Test, new TokenUsage(1_000_000, 1_000_000)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Queries_per_context_must_be_positive(int queries)
    {
        Assert.Throws<SleepTimeValidationException>(() => CostModel.FromRatio().AmortizedCostPerQuery(default, default, queries));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void The_price_ratio_must_be_positive(double t)
    {
        Assert.Throws<SleepTimeValidationException>(() => CostModel.FromRatio(t));
    }
}
