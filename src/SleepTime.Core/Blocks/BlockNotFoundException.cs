namespace SleepTime;

public sealed class BlockNotFoundException(string blockId) : SleepTimeNotFoundException($"Block '{blockId}' was not found.")
{
    public string BlockId { get; } = blockId;
}
