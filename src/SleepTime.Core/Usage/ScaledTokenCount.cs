namespace SleepTime;

/// <summary>
/// A token count that stays cheap on long texts: exact on a prefix, then scaled by length. Counting is linear in the
/// text, and an exact count of a long context entry costs more than writing it (docs/BENCHMARKS.md, "Context
/// writes"); a trigger threshold or an estimate needs no more than this.
/// </summary>
public static class ScaledTokenCount
{
    /// <summary>The prefix counted exactly for a context entry's <c>transcript_tokens</c>.</summary>
    public const int EntryPrefixChars = 4_096;

    /// <summary>The tokens of <paramref name="text"/>: exact up to <paramref name="exactChars"/> characters, beyond that the prefix's count scaled by length.</summary>
    public static int Count(ITokenCounter counter, string text, int exactChars)
    {
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(exactChars, 1);
        return text.Length <= exactChars
            ? counter.CountTokens(text)
            : (int)Math.Round((double)counter.CountTokens(text[..exactChars]) * text.Length / exactChars);
    }

    /// <summary>A context entry's tokens (o200k) for <c>transcript_tokens</c>.</summary>
    public static int OfEntry(string text, ITokenCounter? counter = null) => Count(counter ?? O200kTokenCounter.Instance, text, EntryPrefixChars);
}
