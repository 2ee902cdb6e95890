namespace SleepTime;

/// <summary>One stored piece of a context, stamped with the context version that added it.</summary>
public sealed record ContextEntry(long Version, string Text, string? Role, DateTimeOffset AddedAt);
