namespace SleepTime;

/// <summary>What a sleep-time run reads: the blocks as they are, and the transcript and documents after its watermark.</summary>
public sealed record SleepTimeInput(IReadOnlyList<Block> Blocks, IReadOnlyList<AgentMessage> Messages, IReadOnlyList<AgentDocument> Documents);
