namespace SleepTime.Storage;

/// <summary>Which runs of a tenant to list; each filter is ignored when null.</summary>
public sealed record RunFilter(string? Kind = null, string? SleeperId = null, string? MemoryId = null, string? Status = null, int Limit = 50, DateTimeOffset? Before = null);
