namespace SleepTime.Grading;

/// <summary>Picks the grader for a data set kind.</summary>
public static class AnswerGraders
{
    private static readonly GsmGrader GsmPaper = new(GradingMode.Paper);
    private static readonly GsmGrader GsmNumeric = new(GradingMode.Numeric);
    private static readonly AimeGrader AimePaper = new(GradingMode.Paper);
    private static readonly AimeGrader AimeNumeric = new(GradingMode.Numeric);

    /// <summary>
    /// The grader for <paramref name="datasetKind"/>: "gsm" (GSM8K, GSM-Symbolic) or "aime", case-insensitive.
    /// Graders are immutable, so shared instances are returned.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="datasetKind"/> is neither "gsm" nor "aime".</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined <see cref="GradingMode"/>.</exception>
    public static IAnswerGrader For(string datasetKind, GradingMode mode)
    {
        ArgumentNullException.ThrowIfNull(datasetKind);
        if (mode is not (GradingMode.Paper or GradingMode.Numeric))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown grading mode.");
        }

        if (datasetKind.Equals("gsm", StringComparison.OrdinalIgnoreCase))
        {
            return mode == GradingMode.Paper ? GsmPaper : GsmNumeric;
        }

        if (datasetKind.Equals("aime", StringComparison.OrdinalIgnoreCase))
        {
            return mode == GradingMode.Paper ? AimePaper : AimeNumeric;
        }

        throw new ArgumentException(
            $"Unknown data set kind \"{datasetKind}\"; expected \"gsm\" or \"aime\".", nameof(datasetKind));
    }
}
