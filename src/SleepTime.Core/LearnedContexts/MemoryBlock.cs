namespace SleepTime;

/// <summary>A labelled block of learned memory with a character limit (Letta's "block").</summary>
public sealed record MemoryBlock(string Label, string Value, int Limit, string? Description = null);
