namespace SleepTime.Core.Tests.Usage;

public sealed class ScaledTokenCountTests
{
    private const string Sentence = "The bakery opens at seven and sells muffins on a busy Saturday morning. ";

    [Fact]
    public void A_text_within_the_prefix_is_counted_exactly()
    {
        var text = string.Concat(Enumerable.Repeat(Sentence, 80))[..ScaledTokenCount.EntryPrefixChars];

        Assert.Equal(O200kTokenCounter.Instance.CountTokens(text), ScaledTokenCount.OfEntry(text));
    }

    [Fact]
    public void A_longer_text_counts_its_prefix_scaled_by_length_and_stays_near_the_exact_count()
    {
        var text = string.Concat(Enumerable.Range(0, 2_000).Select(i => $"Order {i} of {i * 7} muffins. " + Sentence));
        var prefix = O200kTokenCounter.Instance.CountTokens(text[..ScaledTokenCount.EntryPrefixChars]);
        var exact = O200kTokenCounter.Instance.CountTokens(text);

        var scaled = ScaledTokenCount.OfEntry(text);

        Assert.Equal((int)Math.Round((double)prefix * text.Length / ScaledTokenCount.EntryPrefixChars), scaled);
        Assert.InRange(scaled, exact * 0.9, exact * 1.1);
    }
}
