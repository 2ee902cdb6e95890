namespace SleepTime.Server;

/// <summary>The test-time budget: verbosity 0 (answer only) to 4 (step by step), max output tokens, reasoning effort.</summary>
public sealed record BudgetRequest(int? Verbosity, int? MaxTokens, string? ReasoningEffort);

/// <summary>
/// Ask a question. <c>arm</c>: sleep_time (default), baseline or context_only. <c>wait_for_run</c>: wait for an
/// in-flight sleep run (up to <c>wait_timeout_seconds</c>) instead of answering from the previous learned context.
/// </summary>
public sealed record AskRequest(string? Question, string? Arm, BudgetRequest? Budget, bool? IncludeRawContext, bool? WaitForRun, double? WaitTimeoutSeconds);

public sealed record AnswerView(
    string Id,
    string ContextId,
    string? Question,
    string Answer,
    string? FinalAnswer,
    string Arm,
    int Verbosity,
    long ContextVersion,
    long? LearnedVersion,
    string? Model,
    UsageView Usage,
    double LatencyMs,
    bool WaitedForRun,
    DateTimeOffset CreatedAt);
