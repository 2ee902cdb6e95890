namespace SleepTime.Grading;

/// <summary>The outcome of grading one reply.</summary>
/// <param name="Extracted">The answer found in the reply, or <see langword="null"/> when the reply holds none.</param>
/// <param name="Expected">The reference answer in the normalised form that was compared.</param>
/// <param name="IsCorrect">Whether <paramref name="Extracted"/> matches <paramref name="Expected"/> under the grader's mode.</param>
public sealed record AnswerGrade(string? Extracted, string Expected, bool IsCorrect);
