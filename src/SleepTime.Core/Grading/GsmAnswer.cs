namespace SleepTime.Grading;

/// <summary>
/// Answer extraction for GSM-style problems (GSM8K, GSM-Symbolic): the last number in a reply, and the reference
/// answer after the last <c>####</c> of a solution.
/// </summary>
/// <remarks>
/// A "number" is a maximal run of the paper's character class <c>[$0-9.,]</c>, with the <c>-</c> directly before it
/// taken as its sign, which is exactly what the paper's pattern <c>(-?[$0-9.,]{2,})|(-?[0-9]+)</c> matches.
/// <c>$</c> and <c>,</c> are removed ("$1,080" gives "1080"). A hyphen right before digits is read as a minus sign
/// ("pages 10-12" gives "-12"), as in the paper. Only ASCII digits count.
/// </remarks>
public static class GsmAnswer
{
    /// <summary>
    /// The last number in <paramref name="reply"/>, with <c>$</c> and <c>,</c> removed, or <see langword="null"/>
    /// when the reply holds no digit. Runs without a digit ("...", "i.e.,") are skipped, trailing periods are
    /// dropped ("is 45." gives "45"), a leading ellipsis is dropped ("...45" gives "45") and a single leading
    /// decimal point is kept (".5" stays ".5"). This is the rule <see cref="GradingMode.Numeric"/> uses.
    /// </summary>
    public static string? Extract(string reply) => Extract(reply, GradingMode.Numeric);

    /// <summary>
    /// The last number in <paramref name="reply"/> under <paramref name="mode"/>.
    /// <see cref="GradingMode.Numeric"/> is <see cref="Extract(string)"/>. <see cref="GradingMode.Paper"/> reproduces
    /// the paper's script exactly: the last match of <c>(-?[$0-9.,]{2,})|(-?[0-9]+)</c> even when it holds no digit
    /// (a trailing "..." or "i.e.," then gives ""), with <c>$</c> and <c>,</c> removed and every leading and trailing
    /// <c>.</c> stripped (".5" gives "5"); <see langword="null"/> when nothing matches.
    /// </summary>
    public static string? Extract(string reply, GradingMode mode)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return mode switch
        {
            GradingMode.Paper => ExtractPaper(reply),
            GradingMode.Numeric => ExtractNumeric(reply),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown grading mode."),
        };
    }

    /// <summary>
    /// The reference answer of a GSM answer field: the text after the last <c>####</c>, trimmed, with <c>,</c> and
    /// <c>$</c> removed ("... #### 1,080" gives "1080").
    /// </summary>
    /// <exception cref="FormatException">The solution has no <c>####</c> marker, or nothing follows it.</exception>
    public static string ExpectedFrom(string solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        int marker = solution.LastIndexOf("####", StringComparison.Ordinal);
        if (marker < 0)
        {
            throw new FormatException(
                $"A GSM answer field must end with '#### <answer>', but this one has no '####': \"{Preview(solution)}\".");
        }

        string expected = AnswerText.NormalizeGsm(solution[(marker + 4)..], trimDots: false);
        if (expected.Length == 0)
        {
            throw new FormatException(
                $"A GSM answer field must have an answer after its last '####', but this one has none: \"{Preview(solution)}\".");
        }

        return expected;
    }

    /// <summary>Finds the last maximal <c>[$0-9.,]</c> run that counts as a number, with a <c>-</c> right before it.</summary>
    private static bool TryFindLastRun(string reply, bool requireDigit, out int start, out int end)
    {
        int i = reply.Length - 1;
        while (i >= 0)
        {
            if (!AnswerText.IsGsmNumberChar(reply[i]))
            {
                i--;
                continue;
            }

            int runEnd = i + 1;
            bool hasDigit = false;
            while (i >= 0 && AnswerText.IsGsmNumberChar(reply[i]))
            {
                hasDigit |= AnswerText.IsAsciiDigit(reply[i]);
                i--;
            }

            int runStart = i + 1;
            bool matches = requireDigit
                ? hasDigit
                : runEnd - runStart >= 2 || hasDigit; // paper: two or more class chars, or a lone digit
            if (matches)
            {
                start = runStart > 0 && reply[runStart - 1] == '-' ? runStart - 1 : runStart;
                end = runEnd;
                return true;
            }
        }

        start = end = 0;
        return false;
    }

    private static string? ExtractPaper(string reply)
    {
        if (!TryFindLastRun(reply, requireDigit: false, out int start, out int end))
        {
            return null;
        }

        ReadOnlySpan<char> token = reply.AsSpan(start, end - start);
        Span<char> buffer = token.Length <= AnswerText.StackLimit ? stackalloc char[token.Length] : new char[token.Length];
        int n = AnswerText.CopyWithoutDollarAndComma(token, buffer);
        return new string(buffer[..n].Trim('.'));
    }

    private static string? ExtractNumeric(string reply)
    {
        if (!TryFindLastRun(reply, requireDigit: true, out int start, out int end))
        {
            return null;
        }

        ReadOnlySpan<char> token = reply.AsSpan(start, end - start);
        Span<char> buffer = token.Length <= AnswerText.StackLimit ? stackalloc char[token.Length] : new char[token.Length];
        int n = AnswerText.CopyWithoutDollarAndComma(token, buffer);
        Span<char> cleaned = buffer[..n].TrimEnd('.');

        // The sign, if any, stays in front; dots right after it are a leading ellipsis or a decimal point.
        int signLength = cleaned.Length > 0 && cleaned[0] == '-' ? 1 : 0;
        int dots = 0;
        while (signLength + dots < cleaned.Length && cleaned[signLength + dots] == '.')
        {
            dots++;
        }

        if (dots < 2)
        {
            return new string(cleaned);
        }

        // "...45" is an ellipsis before 45; "-...45" keeps its sign.
        cleaned[(signLength + dots)..].CopyTo(cleaned[signLength..]);
        return new string(cleaned[..(cleaned.Length - dots)]);
    }

    private static string Preview(string text)
    {
        const int Max = 80;
        string oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= Max ? oneLine : "..." + oneLine[^Max..];
    }
}
