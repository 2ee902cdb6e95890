using System.Text.Json.Serialization;

namespace SleepTime.Bench.Running;

/// <summary>Token counts as stored in the results file.</summary>
public sealed record StoredUsage(long Input, long Output, long Reasoning = 0, long Cached = 0, bool Estimated = false)
{
    public static StoredUsage From(TokenUsage usage) => new(usage.InputTokens, usage.OutputTokens, usage.ReasoningTokens, usage.CachedInputTokens, usage.Estimated);

    public TokenUsage ToTokenUsage() => new(Input, Output, Reasoning, Cached, Estimated);
}

/// <summary>One stored block of a learned context.</summary>
public sealed record StoredBlock(string Label, string Value, int Limit);

/// <summary>
/// One line of <c>results.jsonl</c>: a sleep (one per context and sleep setting, shared by every question and test
/// budget) or an answer (one per question, arm and sample).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SleepRecord), "sleep")]
[JsonDerivedType(typeof(AnswerRecord), "answer")]
public abstract record ResultRecord(string Key);

public sealed record SleepRecord(
    string Key,
    string ContextId,
    int Runs,
    string? SleepEffort,
    bool Succeeded,
    IReadOnlyList<StoredBlock> Blocks,
    StoredUsage Usage,
    double DurationMs,
    string? Error,
    string? ContextHash = null,
    string? PromptHash = null,
    IReadOnlyList<long>? Seeds = null) : ResultRecord(Key);

public sealed record AnswerRecord(
    string Key,
    string ContextId,
    string QuestionId,
    string Arm,
    int Sample,
    string Expected,
    string? Reply,
    StoredUsage Usage,
    double LatencyMs,
    string? SleepKey,
    string? Error,
    string? Excluded = null,
    string? ItemHash = null,
    string? PromptHash = null,
    string? PromptVersion = null,
    long? Seed = null,
    string? Category = null,
    bool? Judged = null,
    string? JudgeFingerprint = null,
    StoredUsage? JudgeUsage = null) : ResultRecord(Key)
{
    /// <summary>The reason recorded when a sleep-time question is left unanswered because its sleep failed.</summary>
    public const string SleepFailed = "sleep_failed";

    public static string MakeKey(string questionId, string arm, int sample) => $"{questionId}|{arm}|{sample}";
}
