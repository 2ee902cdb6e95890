namespace SleepTime;

/// <summary>
/// One unit of writes to agents' memory: blocks, change sets and sleepers' watermarks. Everything done through one
/// writer lands together or not at all (a database runs it in one transaction, with the rows it reads locked).
/// </summary>
public interface IMemoryWriter
{
    Task<Block?> GetBlockAsync(string blockId, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="newValue"/> over <paramref name="current"/> (which the writer read) and returns the new version.</summary>
    Task<Block> WriteBlockAsync(Block current, string newValue, string author, CancellationToken cancellationToken = default);

    Task<ChangeSet?> GetChangeSetAsync(string changeSetId, CancellationToken cancellationToken = default);

    /// <summary>Stores a new change set, or replaces the stored one with the same id.</summary>
    Task SaveChangeSetAsync(ChangeSet changeSet, CancellationToken cancellationToken = default);

    /// <summary>Moves a sleeper's watermark from <paramref name="expected"/> to <paramref name="next"/>; false when it had moved.</summary>
    Task<bool> TryAdvanceWatermarkAsync(string sleepTimeAgentId, SleepTimeWatermark expected, SleepTimeWatermark next, CancellationToken cancellationToken = default);
}

/// <summary>Runs units of memory writes: each one whole or not at all.</summary>
public interface IMemoryStore
{
    Task<T> WriteAsync<T>(Func<IMemoryWriter, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default);
}
