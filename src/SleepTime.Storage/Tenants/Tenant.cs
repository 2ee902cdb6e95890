namespace SleepTime.Storage;

/// <summary>An isolated owner of contexts; <see cref="DailyTokenCap"/> limits its sleep tokens per UTC day.</summary>
public sealed record Tenant(string Id, string Name, long? DailyTokenCap, DateTimeOffset CreatedAt);
