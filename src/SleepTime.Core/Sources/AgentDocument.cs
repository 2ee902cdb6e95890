namespace SleepTime;

/// <summary>A document attached to a primary agent; its sleep-time agents read it in the background.</summary>
public sealed record AgentDocument(string Id, string AgentId, long Sequence, string Title, string Text, DateTimeOffset AddedAt);
