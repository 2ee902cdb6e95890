namespace SleepTime.Storage;

/// <summary>One page of a listing; pass <see cref="NextCursor"/> back to get the next one.</summary>
public sealed record ContextPage(IReadOnlyList<ContextSummary> Items, string? NextCursor);
