namespace SleepTime;

/// <summary>
/// An answer and everything needed to explain it: the learned-context version it used, the budget, the prompt
/// version, the tokens it cost and how long it took.
/// </summary>
public sealed record Answer(
    string ContextId,
    string? Question,
    string Text,
    string? FinalAnswer,
    AnswerArm Arm,
    AnswerBudget Budget,
    long ContextVersion,
    long? LearnedContextVersion,
    string? Model,
    string Prompt,
    TokenUsage Usage,
    TimeSpan Latency);
