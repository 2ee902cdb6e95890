namespace SleepTime.Grading;

/// <summary>Grades AIME-style replies: the last boxed answer (else the last short integer) against the reference.</summary>
/// <remarks>
/// <see cref="GradingMode.Paper"/>: the paper's <c>parse_answer</c> (<see cref="AimeAnswer.Extract(string, GradingMode)"/>)
/// and the reference read with Python's <c>int()</c>; correct when the two integers are equal. The reference must be
/// an integer in this mode.
/// <see cref="GradingMode.Numeric"/>: <see cref="AimeAnswer.Extract(string)"/>, compared by decimal value ("073" =
/// "73" = "73.0"), falling back to ordinal equality of the trimmed strings when either side is not a number
/// (so a reference such as <c>\frac{1}{2}</c> can still match a box with the same text).
/// </remarks>
public sealed class AimeGrader : IAnswerGrader
{
    /// <summary>Creates a grader for <paramref name="mode"/>.</summary>
    public AimeGrader(GradingMode mode = GradingMode.Paper)
    {
        if (mode is not (GradingMode.Paper or GradingMode.Numeric))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown grading mode.");
        }

        Mode = mode;
    }

    /// <summary>The comparison rules this grader applies.</summary>
    public GradingMode Mode { get; }

    /// <inheritdoc />
    /// <exception cref="FormatException">In <see cref="GradingMode.Paper"/>, <paramref name="expected"/> is not an integer.</exception>
    public AnswerGrade Grade(string reply, string expected)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(expected);

        string? extracted = AimeAnswer.Extract(reply, Mode);
        if (Mode == GradingMode.Paper)
        {
            string? reference = IsCanonicalInteger(expected) ? expected : null;
            if (reference is null && !AimeAnswer.TryParsePythonInt(expected, out reference))
            {
                throw new FormatException($"An AIME reference answer must be an integer in Paper mode, but got \"{expected}\".");
            }

            return new AnswerGrade(extracted, reference!, string.Equals(extracted, reference, StringComparison.Ordinal));
        }

        string trimmed = expected.Trim();
        return new AnswerGrade(extracted, trimmed, extracted is not null && AnswerText.NumericEquals(extracted, trimmed));
    }

    /// <summary>ASCII digits without a leading zero (or "0"): already what <c>int()</c> would print, no copy needed.</summary>
    private static bool IsCanonicalInteger(string value) =>
        value.Length > 0
        && (value[0] != '0' || value.Length == 1)
        && AllAsciiDigits(value);

    private static bool AllAsciiDigits(string value)
    {
        foreach (char c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
