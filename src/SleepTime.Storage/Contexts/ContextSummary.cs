namespace SleepTime.Storage;

/// <summary>A context without its content, for listings and scheduling decisions.</summary>
public sealed record ContextSummary(
    string Id,
    ContextKind Kind,
    long Version,
    long BaseVersion,
    long Length,
    long Turns,
    long ProcessedVersion,
    long? LearnedVersion,
    string? Schedule,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
