namespace SleepTime.Grading;

/// <summary>Extracts the final answer from a model reply and compares it with the reference answer.</summary>
/// <remarks>Implementations are immutable and thread-safe.</remarks>
public interface IAnswerGrader
{
    /// <summary>Grades <paramref name="reply"/> against the reference answer <paramref name="expected"/>.</summary>
    /// <param name="reply">The model's reply text.</param>
    /// <param name="expected">The reference answer itself (e.g. "72"), not a whole worked solution; use
    /// <see cref="GsmAnswer.ExpectedFrom(string)"/> to get it from a GSM answer field.</param>
    AnswerGrade Grade(string reply, string expected);
}
