namespace SleepTime;

/// <summary>How a query is answered.</summary>
public enum AnswerArm
{
    /// <summary>With the learned context <c>c'</c> (and the raw context unless left out): <c>T_b(q, c')</c>.</summary>
    SleepTime,

    /// <summary>Plain test-time compute: the raw context and the question, no learned context: <c>T_B(q, c)</c>.</summary>
    Baseline,

    /// <summary>No question: the model guesses what will be asked and answers it (the paper's context-only arm).</summary>
    ContextOnly,
}
