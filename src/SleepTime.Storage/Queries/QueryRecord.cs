namespace SleepTime.Storage;

/// <summary>An answered query, with the learned-context version it used so every answer is explainable.</summary>
public sealed record QueryRecord(
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
    TokenUsage Usage,
    double LatencyMilliseconds,
    DateTimeOffset CreatedAt);
