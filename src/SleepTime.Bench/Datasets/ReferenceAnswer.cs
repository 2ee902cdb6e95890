using SleepTime.Grading;

namespace SleepTime.Bench.Datasets;

/// <summary>The bare reference answer of a GSM-style solution.</summary>
public static class ReferenceAnswer
{
    /// <summary>The text after the last <c>####</c>, trimmed, with <c>,</c> and <c>$</c> removed (<see cref="GsmAnswer.ExpectedFrom"/>).</summary>
    /// <exception cref="FormatException">There is no <c>####</c> or nothing follows it.</exception>
    public static string FromGsmSolution(string solution) => GsmAnswer.ExpectedFrom(solution);
}
