using SleepTime.Bench.Judging;

namespace SleepTime.Bench.Tests.Judging;

public sealed class TokenF1Tests
{
    [Theory]
    [InlineData("The cello.", "the cello", null, 1.0)]
    [InlineData("She plays the cello and piano", "cello", null, 1 / 3.0)]   // 5 tokens without "the": precision 1/5, recall 1
    [InlineData("a violin", "the cello", null, 0.0)]
    [InlineData("Oslo", "Oslo, Bergen", "multi-hop", 0.5)]
    [InlineData("Bergen, Oslo", "Oslo, Bergen", "multi-hop", 1.0)]
    [InlineData("That is not mentioned in the conversation.", "Not mentioned in the conversation.", "adversarial", 1.0)]
    [InlineData("Green.", "Not mentioned in the conversation.", "adversarial", 0.0)]
    public void Scores_as_LoCoMo_does(string reply, string expected, string? category, double score)
    {
        Assert.Equal(score, TokenF1.Score(reply, expected, category), 9);
    }
}
