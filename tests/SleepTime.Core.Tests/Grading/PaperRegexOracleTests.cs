using System.Text.RegularExpressions;
using SleepTime.Grading;

namespace SleepTime.Tests.Grading;

/// <summary>
/// Differential tests: the hand scanners against the paper scripts' own regular expressions, run by .NET's regex
/// engine (which agrees with Python's <c>re</c> on these ASCII patterns), over many seeded random replies.
/// </summary>
public partial class PaperRegexOracleTests
{
    private const int Cases = 20_000;

    // evaluate_gsm_symbolic.py: re.findall("(-?[$0-9.,]{2,})|(-?[0-9]+)", reply)[-1], then standardize_answer.
    [GeneratedRegex(@"(-?[$0-9.,]{2,})|(-?[0-9]+)")]
    private static partial Regex GsmPaperPattern();

    // evaluate_stateful_aime.py: re.findall(r"([1-9][0-9][0-9]|[1-9][0-9]|[1-9])", response)[-1].
    [GeneratedRegex(@"([1-9][0-9][0-9]|[1-9][0-9]|[1-9])")]
    private static partial Regex AimePaperPattern();

    private static string? GsmOracle(string reply)
    {
        var matches = GsmPaperPattern().Matches(reply);
        if (matches.Count == 0)
        {
            return null;
        }

        return matches[^1].Value.Replace("$", "").Replace(",", "").Trim('.');
    }

    private static string? AimeFallbackOracle(string reply)
    {
        var matches = AimePaperPattern().Matches(reply);
        return matches.Count == 0 ? null : matches[^1].Value;
    }

    private static string RandomText(Random random, string alphabet, int maxLength)
    {
        int length = random.Next(maxLength + 1);
        return string.Create(length, (random, alphabet), static (span, state) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = state.alphabet[state.random.Next(state.alphabet.Length)];
            }
        });
    }

    [Fact]
    public void GsmPaperExtraction_AgreesWithThePapersRegex()
    {
        var random = new Random(20250417);
        for (int i = 0; i < Cases; i++)
        {
            string reply = RandomText(random, "0123456789$.,- -ax\n", 24);
            Assert.True(GsmOracle(reply) == GsmAnswer.Extract(reply, GradingMode.Paper), $"reply: \"{reply}\"");
        }
    }

    [Fact]
    public void GsmNumericExtraction_AgreesWithThePaperWheneverThePaperTokenIsAPlainNumber()
    {
        // Where the paper's last token has a digit and no leading dot, the two rules must give the same string.
        var random = new Random(7);
        int compared = 0;
        for (int i = 0; i < Cases; i++)
        {
            string reply = RandomText(random, "0123456789$.,- ab", 24);
            string? paper = GsmOracle(reply);
            Match? last = GsmPaperPattern().Matches(reply) is { Count: > 0 } all ? all[^1] : null;
            if (paper is null || last is null || !last.Value.Any(char.IsAsciiDigit) || last.Value.TrimStart('-').Replace("$", "").Replace(",", "").StartsWith('.'))
            {
                continue;
            }

            compared++;
            Assert.True(paper == GsmAnswer.Extract(reply), $"reply: \"{reply}\"");
        }

        Assert.True(compared > Cases / 4, $"only {compared} replies were compared");
    }

    [Fact]
    public void AimePaperFallback_AgreesWithThePapersRegex()
    {
        var random = new Random(2024);
        for (int i = 0; i < Cases; i++)
        {
            // No backslash, so there is never a box and the paper goes straight to its digit scan.
            string reply = RandomText(random, "0001234567899 .,x", 24);
            Assert.True(AimeFallbackOracle(reply) == AimeAnswer.Extract(reply, GradingMode.Paper), $"reply: \"{reply}\"");
        }
    }
}
