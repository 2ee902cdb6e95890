namespace SleepTime;

/// <summary>
/// Memory writes over the in-memory stores, one unit at a time: a unit's block writes are undone when it fails, so it
/// lands whole or not at all, as in a database transaction.
/// </summary>
public sealed class InMemoryMemoryStore(InMemoryBlockStore blocks, InMemoryChangeSetStore changeSets, InMemoryAgentStore agents) : IMemoryStore
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<T> WriteAsync<T>(Func<IMemoryWriter, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var writer = new Writer(blocks, changeSets, agents);
        try
        {
            var result = await work(writer, cancellationToken).ConfigureAwait(false);
            writer.Apply();
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Buffers the unit's writes and applies them only when the unit completes.</summary>
    private sealed class Writer(InMemoryBlockStore blocks, InMemoryChangeSetStore changeSets, InMemoryAgentStore agents) : IMemoryWriter
    {
        private readonly Dictionary<string, Block> writtenBlocks = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ChangeSet> savedChangeSets = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (SleepTimeWatermark Expected, SleepTimeWatermark Next)> watermarks = new(StringComparer.Ordinal);

        public async Task<Block?> GetBlockAsync(string blockId, CancellationToken cancellationToken = default) =>
            writtenBlocks.TryGetValue(blockId, out var written) ? written : await blocks.GetAsync(blockId, cancellationToken).ConfigureAwait(false);

        public Task<Block> WriteBlockAsync(Block current, string newValue, string author, CancellationToken cancellationToken = default)
        {
            BlockValidation.ValidateValue(newValue, current.Limit);
            var next = current with { Value = newValue, Version = current.Version + 1, UpdatedBy = author };
            writtenBlocks[current.Id] = next;
            return Task.FromResult(next);
        }

        public async Task<ChangeSet?> GetChangeSetAsync(string changeSetId, CancellationToken cancellationToken = default) =>
            savedChangeSets.TryGetValue(changeSetId, out var saved) ? saved : await changeSets.GetAsync(changeSetId, cancellationToken).ConfigureAwait(false);

        public Task SaveChangeSetAsync(ChangeSet changeSet, CancellationToken cancellationToken = default)
        {
            savedChangeSets[changeSet.Id] = changeSet;
            return Task.CompletedTask;
        }

        public async Task<bool> TryAdvanceWatermarkAsync(string sleepTimeAgentId, SleepTimeWatermark expected, SleepTimeWatermark next, CancellationToken cancellationToken = default)
        {
            var current = watermarks.TryGetValue(sleepTimeAgentId, out var pending) ? pending.Next : await agents.GetWatermarkAsync(sleepTimeAgentId, cancellationToken).ConfigureAwait(false);
            if (current != expected)
            {
                return false;
            }

            watermarks[sleepTimeAgentId] = (watermarks.TryGetValue(sleepTimeAgentId, out var first) ? first.Expected : expected, next);
            return true;
        }

        public void Apply()
        {
            foreach (var block in writtenBlocks.Values)
            {
                blocks.Put(block);
            }

            foreach (var changeSet in savedChangeSets.Values)
            {
                changeSets.Put(changeSet);
            }

            foreach (var (id, (_, next)) in watermarks)
            {
                agents.PutWatermark(id, next);
            }
        }
    }
}
