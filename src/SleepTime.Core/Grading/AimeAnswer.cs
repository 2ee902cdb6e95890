using System.Text;

namespace SleepTime.Grading;

/// <summary>
/// Answer extraction for AIME-style problems, whose answers are integers from 0 to 999: the content of the last
/// <c>\boxed{...}</c>, else the last standalone integer of one to three digits.
/// </summary>
public static class AimeAnswer
{
    private const string Boxed = "\\boxed";

    /// <summary>
    /// The trimmed content of the last <c>\boxed{...}</c> in <paramref name="reply"/> (braces balanced, so
    /// <c>\boxed{\frac{1}{2}}</c> gives <c>\frac{1}{2}</c>; an integer comes back as written, e.g. "073"). When the
    /// reply has no <c>\boxed{</c>, or the last one is empty or never closed, the last standalone integer of one to
    /// three ASCII digits: a maximal digit run that is not part of a longer number (not the "2024" of "AIME 2024",
    /// not either side of "3.14" or "12,345"; a sign is ignored). <see langword="null"/> when there is neither.
    /// This is the rule <see cref="GradingMode.Numeric"/> uses.
    /// </summary>
    public static string? Extract(string reply) => Extract(reply, GradingMode.Numeric);

    /// <summary>
    /// The answer in <paramref name="reply"/> under <paramref name="mode"/>. <see cref="GradingMode.Numeric"/> is
    /// <see cref="Extract(string)"/>. <see cref="GradingMode.Paper"/> reproduces the paper's <c>parse_answer</c>
    /// exactly and returns the integer in canonical form ("073" gives "73"): Python's <c>int()</c> of the content of
    /// the last <c>\boxed{...}</c>; when that fails (no box, unclosed box, or content that is not an integer, such as
    /// <c>\frac{1}{2}</c>), the last match of <c>[1-9][0-9][0-9]|[1-9][0-9]|[1-9]</c> over the whole reply, which
    /// splits longer numbers ("2024" gives "202" then "4") and never matches 0; <see langword="null"/> when nothing matches.
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

    private static string? ExtractNumeric(string reply)
    {
        ReadOnlySpan<char> text = reply;
        int search = text.Length;
        while (search > 0)
        {
            int at = text[..search].LastIndexOf(Boxed, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            int open = at + Boxed.Length;
            while (open < text.Length && char.IsWhiteSpace(text[open]))
            {
                open++;
            }

            if (open < text.Length && text[open] == '{')
            {
                int close = MatchingBrace(text, open);
                if (close < 0)
                {
                    break; // the last box was never closed (a truncated reply): fall back to the integer scan
                }

                ReadOnlySpan<char> content = text[(open + 1)..close].Trim();
                return content.IsEmpty ? LastStandaloneInteger(text) : new string(content);
            }

            search = at; // "\boxed" not followed by "{" (e.g. "\boxedanswer"): look at an earlier one
        }

        return LastStandaloneInteger(text);
    }

    /// <summary>The index of the <c>}</c> that closes the <c>{</c> at <paramref name="open"/>, or -1.</summary>
    private static int MatchingBrace(ReadOnlySpan<char> text, int open)
    {
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            if (text[i] == '{')
            {
                depth++;
            }
            else if (text[i] == '}' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string? LastStandaloneInteger(ReadOnlySpan<char> text)
    {
        int i = text.Length - 1;
        while (i >= 0)
        {
            if (!AnswerText.IsAsciiDigit(text[i]))
            {
                i--;
                continue;
            }

            int end = i + 1;
            while (i >= 0 && AnswerText.IsAsciiDigit(text[i]))
            {
                i--;
            }

            int start = i + 1;
            int length = end - start;
            if (length <= 3 && !IsPartOfLongerNumber(text, start, end))
            {
                return new string(text[start..end]);
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the maximal digit run [start, end) is one side of a decimal ("3.14") or a group of a thousands-separated
    /// number ("12,345").
    /// </summary>
    private static bool IsPartOfLongerNumber(ReadOnlySpan<char> text, int start, int end)
    {
        // Fraction part: "3.14" -> "14".
        if (start >= 2 && text[start - 1] == '.' && AnswerText.IsAsciiDigit(text[start - 2]))
        {
            return true;
        }

        // Integer part: "3.14" -> "3".
        if (end + 1 < text.Length && text[end] == '.' && AnswerText.IsAsciiDigit(text[end + 1]))
        {
            return true;
        }

        // Later group: "12,345" -> "345".
        if (end - start == 3 && start >= 2 && text[start - 1] == ',' && AnswerText.IsAsciiDigit(text[start - 2]))
        {
            return true;
        }

        // Leading group: "12,345" -> "12".
        if (end < text.Length && text[end] == ',' && DigitRunLength(text, end + 1) == 3)
        {
            return true;
        }

        return false;
    }

    private static int DigitRunLength(ReadOnlySpan<char> text, int from)
    {
        int i = from;
        while (i < text.Length && AnswerText.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i - from;
    }

    private static string? ExtractPaper(string reply)
    {
        // last_boxed_only_string: rfind("\\boxed"), else rfind("\\fbox"); then scan from there for balanced braces.
        ReadOnlySpan<char> text = reply;
        int at = text.LastIndexOf(Boxed, StringComparison.Ordinal);
        if (at < 0)
        {
            at = text.LastIndexOf("\\fbox", StringComparison.Ordinal);
        }

        if (at >= 0)
        {
            int depth = 0;
            int close = -1;
            for (int i = at; i < text.Length; i++)
            {
                if (text[i] == '{')
                {
                    depth++;
                }

                if (text[i] == '}')
                {
                    depth--;
                    if (depth == 0)
                    {
                        close = i;
                        break;
                    }
                }
            }

            // remove_boxed: the span must start with "\boxed{" (so "\fbox{..}" and "\boxed {..}" fail), then int().
            if (close >= 0
                && text[at..].StartsWith("\\boxed{", StringComparison.Ordinal)
                && at + 7 <= close
                && TryParsePythonInt(text[(at + 7)..close], out string? value))
            {
                return value;
            }
        }

        return LastPaperRegexMatch(text);
    }

    /// <summary>The last match of <c>([1-9][0-9][0-9]|[1-9][0-9]|[1-9])</c> under Python's left-to-right <c>findall</c>.</summary>
    private static string? LastPaperRegexMatch(ReadOnlySpan<char> text)
    {
        int i = text.Length - 1;
        while (i >= 0)
        {
            if (!AnswerText.IsAsciiDigit(text[i]))
            {
                i--;
                continue;
            }

            int end = i + 1;
            while (i >= 0 && AnswerText.IsAsciiDigit(text[i]))
            {
                i--;
            }

            // Replay findall over this maximal digit run: skip '0', take up to three digits from a non-zero one.
            int last = -1, lastLength = 0;
            int j = i + 1;
            while (j < end)
            {
                if (text[j] == '0')
                {
                    j++;
                    continue;
                }

                int length = Math.Min(3, end - j);
                last = j;
                lastLength = length;
                j += length;
            }

            if (last >= 0)
            {
                return new string(text.Slice(last, lastLength));
            }
        }

        return null;
    }

    /// <summary>
    /// Python's <c>int(str)</c>: white space at both ends, an optional sign, decimal digits (any Unicode decimal digit)
    /// with single underscores allowed between digits. The value comes back in canonical form: no leading zeros, "-"
    /// only for a negative value. Arbitrary size, like Python.
    /// </summary>
    internal static bool TryParsePythonInt(ReadOnlySpan<char> text, out string? value)
    {
        value = null;
        text = text.Trim();
        bool negative = false;
        if (!text.IsEmpty && (text[0] == '+' || text[0] == '-'))
        {
            negative = text[0] == '-';
            text = text[1..];
        }

        if (text.IsEmpty)
        {
            return false;
        }

        Span<char> digits = text.Length <= AnswerText.StackLimit ? stackalloc char[text.Length] : new char[text.Length];
        int count = 0;
        bool previousWasDigit = false;
        int index = 0;
        while (index < text.Length)
        {
            if (text[index] == '_')
            {
                if (!previousWasDigit)
                {
                    return false; // leading or doubled underscore
                }

                previousWasDigit = false;
                index++;
                continue;
            }

            if (Rune.DecodeFromUtf16(text[index..], out Rune rune, out int consumed) != System.Buffers.OperationStatus.Done
                || !Rune.IsDigit(rune))
            {
                return false;
            }

            int digit = (int)Rune.GetNumericValue(rune);
            if (count > 0 || digit != 0)
            {
                digits[count++] = (char)('0' + digit);
            }

            previousWasDigit = true;
            index += consumed;
        }

        if (!previousWasDigit)
        {
            return false; // trailing underscore
        }

        value = count == 0 ? "0" : negative ? string.Concat("-", digits[..count]) : new string(digits[..count]);
        return true;
    }
}
