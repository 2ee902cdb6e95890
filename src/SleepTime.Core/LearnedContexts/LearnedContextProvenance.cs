namespace SleepTime;

/// <summary>Where a learned context came from: the context version, the model, the prompt and what it cost.</summary>
public sealed record LearnedContextProvenance(
    long SourceVersion,
    string? Model,
    string PromptId,
    int PromptVersion,
    int Runs,
    bool Incremental,
    long? PreviousVersion,
    TokenUsage Usage,
    DateTimeOffset CreatedAt);
