namespace SleepTime.Grading;

/// <summary>How a model reply is compared with the reference answer.</summary>
/// <remarks>See <c>docs/GRADING.md</c> for the exact rules and a table of examples.</remarks>
public enum GradingMode
{
    /// <summary>
    /// Exactly the rules of the paper's published evaluation scripts, including their known false negatives
    /// (GSM: "45.0" is not "45"; AIME: a non-integer <c>\boxed{}</c> falls back to a digit scan of the whole reply).
    /// Use this to reproduce the paper's numbers.
    /// </summary>
    Paper = 0,

    /// <summary>
    /// Numeric equality: both sides are compared as <see cref="decimal"/> numbers after removing <c>$</c> and <c>,</c>
    /// ("45.0" = "45", "1,000" = "1000", "0.50" = ".5", "073" = "73"); when either side is not a number the
    /// normalised strings are compared ordinally.
    /// </summary>
    Numeric = 1,
}
