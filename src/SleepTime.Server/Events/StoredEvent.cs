namespace SleepTime.Server;

/// <summary>
/// An event as the log keeps it: its id from the durable sequence (the SSE <c>id:</c>, what <c>Last-Event-ID</c>
/// names), and its data already serialized, so every node and every replay sends the same bytes.
/// </summary>
public sealed record StoredEvent(long Id, string Type, string TenantId, string MemoryId, EventStream Stream, string DataJson, DateTimeOffset At);

/// <summary>Which events a subscriber wants: one tenant, one stream family, optionally one memory.</summary>
public sealed record EventFilter(string TenantId, EventStream Stream, string? MemoryId)
{
    public bool Matches(StoredEvent e) => e.Stream == Stream && e.TenantId == TenantId && (MemoryId is null || e.MemoryId == MemoryId);
}
