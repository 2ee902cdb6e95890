namespace SleepTime;

/// <summary>Versioned memory blocks. Writes are compare-and-swap on the version: nobody overwrites what they did not read.</summary>
public interface IBlockStore
{
    /// <exception cref="SleepTimeValidationException">The label, limit or value is invalid.</exception>
    Task<Block> CreateAsync(NewBlock block, string author, CancellationToken cancellationToken = default);

    Task<Block?> GetAsync(string blockId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="newValue"/> only when the block is still at <paramref name="expectedVersion"/>.
    /// </summary>
    /// <exception cref="BlockNotFoundException">No block has that id.</exception>
    /// <exception cref="SleepTimeValidationException">The value is over the block's limit.</exception>
    Task<BlockUpdateResult> TryUpdateAsync(string blockId, long expectedVersion, string newValue, string author, CancellationToken cancellationToken = default);
}
