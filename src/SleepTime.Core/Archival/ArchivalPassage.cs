namespace SleepTime;

/// <summary>A passage of an agent's archival memory; <see cref="Embedding"/> is set when an embedding generator is configured.</summary>
public sealed record ArchivalPassage(string Id, string AgentId, string Text, DateTimeOffset CreatedAt, ReadOnlyMemory<float>? Embedding = null);
