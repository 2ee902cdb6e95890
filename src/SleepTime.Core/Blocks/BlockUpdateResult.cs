namespace SleepTime;

/// <summary>
/// The outcome of a compare-and-swap write: either <see cref="Updated"/> holds the new block, or the block had moved
/// on and <see cref="Current"/> holds what it is now.
/// </summary>
public sealed record BlockUpdateResult(bool Updated, Block Current)
{
    public static BlockUpdateResult Success(Block block) => new(true, block);

    public static BlockUpdateResult VersionConflict(Block current) => new(false, current);
}
