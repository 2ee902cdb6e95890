namespace SleepTime.Bench.Datasets;

/// <summary>The bare reference answer of a GSM-style solution.</summary>
public static class ReferenceAnswer
{
    /// <summary>The text after the last <c>####</c>, trimmed, with <c>,</c> and <c>$</c> removed.</summary>
    public static string FromGsmSolution(string solution)
    {
        var marker = solution.LastIndexOf("####", StringComparison.Ordinal);
        if (marker < 0)
        {
            throw new FormatException("the answer must end with '#### <answer>', but it has no '####'.");
        }

        var expected = solution[(marker + 4)..].Replace(",", string.Empty, StringComparison.Ordinal).Replace("$", string.Empty, StringComparison.Ordinal).Trim();
        return expected.Length > 0 ? expected : throw new FormatException("nothing follows the last '####' of the answer.");
    }
}
