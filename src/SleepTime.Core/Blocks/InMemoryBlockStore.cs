namespace SleepTime;

/// <summary>Blocks in process memory; a database store does the same compare-and-swap with <c>WHERE version = @expected</c>.</summary>
public sealed class InMemoryBlockStore(TimeProvider? timeProvider = null) : IBlockStore
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Block> blocks = new(StringComparer.Ordinal);

    public Task<Block> CreateAsync(NewBlock block, string author, CancellationToken cancellationToken = default)
    {
        BlockValidation.Validate(block);
        var created = new Block(Ids.New("block"), block.Label, block.Description, block.Value, block.Limit, block.ReadOnly, 1, time.GetUtcNow(), author);
        lock (gate)
        {
            blocks.Add(created.Id, created);
        }

        return Task.FromResult(created);
    }

    public Task<Block?> GetAsync(string blockId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(blocks.GetValueOrDefault(blockId));
        }
    }

    public Task<BlockUpdateResult> TryUpdateAsync(string blockId, long expectedVersion, string newValue, string author, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var current = blocks.GetValueOrDefault(blockId) ?? throw new BlockNotFoundException(blockId);
            BlockValidation.ValidateValue(newValue, current.Limit);
            if (current.Version != expectedVersion)
            {
                return Task.FromResult(BlockUpdateResult.VersionConflict(current));
            }

            var updated = current with { Value = newValue, Version = current.Version + 1, UpdatedAt = time.GetUtcNow(), UpdatedBy = author };
            blocks[blockId] = updated;
            return Task.FromResult(BlockUpdateResult.Success(updated));
        }
    }

    /// <summary>Stores a block written by a memory unit (<see cref="InMemoryMemoryStore"/>), stamped now.</summary>
    internal void Put(Block block)
    {
        lock (gate)
        {
            blocks[block.Id] = block with { UpdatedAt = time.GetUtcNow() };
        }
    }
}
