namespace SleepTime.Storage;

/// <summary>A durable sleep run: what triggered it, where it is, what it cost and why it ended as it did.</summary>
public sealed record RunRecord(
    string Id,
    string TenantId,
    string ContextId,
    string Status,
    string Trigger,
    string? Reason,
    string? Error,
    int Attempt,
    int Coalesced,
    bool CancelRequested,
    long? ContextVersion,
    long? LearnedVersion,
    TokenUsage Usage,
    double Cost,
    string? Node,
    DateTimeOffset QueuedAt,
    DateTimeOffset NotBefore,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}
