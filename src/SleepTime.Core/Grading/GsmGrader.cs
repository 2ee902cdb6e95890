namespace SleepTime.Grading;

/// <summary>Grades GSM-style replies: the last number in the reply against the reference answer.</summary>
/// <remarks>
/// <see cref="GradingMode.Paper"/>: <see cref="GsmAnswer.Extract(string, GradingMode)"/> with the paper's rule, and
/// the reference normalised like the paper's <c>standardize_answer</c> (trimmed, <c>$</c> and <c>,</c> removed,
/// <c>.</c> stripped at both ends); the two strings must be equal ordinally, so "45.0" is wrong against "45".
/// <see cref="GradingMode.Numeric"/>: <see cref="GsmAnswer.Extract(string)"/>, compared by decimal value, falling back
/// to ordinal string equality when either side is not a number.
/// </remarks>
public sealed class GsmGrader : IAnswerGrader
{
    /// <summary>Creates a grader for <paramref name="mode"/>.</summary>
    public GsmGrader(GradingMode mode = GradingMode.Paper)
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
    public AnswerGrade Grade(string reply, string expected)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(expected);

        string? extracted = GsmAnswer.Extract(reply, Mode);
        if (Mode == GradingMode.Paper)
        {
            string normalized = AnswerText.NormalizeGsm(expected, trimDots: true);
            return new AnswerGrade(extracted, normalized, string.Equals(extracted, normalized, StringComparison.Ordinal));
        }

        string reference = AnswerText.NormalizeGsm(expected, trimDots: false);
        return new AnswerGrade(extracted, reference, extracted is not null && AnswerText.NumericEquals(extracted, reference));
    }
}
