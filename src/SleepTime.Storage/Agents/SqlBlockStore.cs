using Dapper;

namespace SleepTime.Storage;

/// <summary>A tenant's memory blocks; a write is one <c>UPDATE … WHERE version = @expected</c> (compare-and-swap).</summary>
public sealed class SqlBlockStore(SleepTimeDatabase database, string tenantId, TimeProvider? timeProvider = null) : IBlockStore
{
    internal const string Columns = """
        id AS Id, label AS Label, description AS Description, value AS Value, char_limit AS CharLimit, read_only AS ReadOnly,
        version AS Version, updated_at AS UpdatedAt, updated_by AS UpdatedBy
        """;

    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public string TenantId => tenantId;

    public async Task<Block> CreateAsync(NewBlock block, string author, CancellationToken cancellationToken = default)
    {
        BlockValidation.Validate(block);
        var now = time.GetUtcNow();
        var created = new Block(Ids.New("block"), block.Label, block.Description, block.Value, block.Limit, block.ReadOnly, 1, now, author);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO agent_blocks (tenant_id, id, label, description, value, char_limit, read_only, version, updated_at, updated_by, created_at)
            VALUES (@tenantId, @Id, @Label, @Description, @Value, @Limit, @readOnly, 1, @now, @UpdatedBy, @now)
            """,
            new { tenantId, created.Id, created.Label, created.Description, created.Value, Limit = (long)created.Limit, readOnly = created.ReadOnly ? 1L : 0L, now = Clock.ToUnix(now), created.UpdatedBy }).ConfigureAwait(false);
        return created;
    }

    public async Task<Block?> GetAsync(string blockId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Columns} FROM agent_blocks WHERE tenant_id = @tenantId AND id = @blockId", new { tenantId, blockId }).ConfigureAwait(false);
        return row?.ToBlock();
    }

    /// <summary>The tenant's blocks, oldest first; with a label, only the blocks that carry it.</summary>
    public async Task<IReadOnlyList<Block>> ListAsync(string? label = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            $"SELECT {Columns} FROM agent_blocks WHERE tenant_id = @tenantId AND (@label IS NULL OR label = @label) ORDER BY created_at, id LIMIT @limit",
            new { tenantId, label, limit = (long)Math.Clamp(limit, 1, 1000) }).ConfigureAwait(false);
        return rows.Select(r => r.ToBlock()).ToList();
    }

    /// <summary>The agents this block is attached to (to tell each of them that it changed).</summary>
    public async Task<IReadOnlyList<string>> AgentsUsingAsync(string blockId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<string>(
            "SELECT agent_id FROM agent_block_links WHERE tenant_id = @tenantId AND block_id = @blockId ORDER BY agent_id", new { tenantId, blockId }).ConfigureAwait(false);
        return ids.ToList();
    }

    public async Task<BlockUpdateResult> TryUpdateAsync(string blockId, long expectedVersion, string newValue, string author, CancellationToken cancellationToken = default)
    {
        var current = await GetAsync(blockId, cancellationToken).ConfigureAwait(false) ?? throw new BlockNotFoundException(blockId);
        BlockValidation.ValidateValue(newValue, current.Limit);
        if (current.Version != expectedVersion)
        {
            return BlockUpdateResult.VersionConflict(current);
        }

        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var written = await connection.ExecuteAsync(
            """
            UPDATE agent_blocks SET value = @newValue, version = version + 1, updated_at = @now, updated_by = @author
            WHERE tenant_id = @tenantId AND id = @blockId AND version = @expectedVersion
            """,
            new { tenantId, blockId, expectedVersion, newValue, author, now = Clock.ToUnix(now) }).ConfigureAwait(false);
        if (written == 1)
        {
            return BlockUpdateResult.Success(current with { Value = newValue, Version = expectedVersion + 1, UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(Clock.ToUnix(now)), UpdatedBy = author });
        }

        // Someone else wrote between our read and the swap.
        return BlockUpdateResult.VersionConflict(await GetAsync(blockId, cancellationToken).ConfigureAwait(false) ?? throw new BlockNotFoundException(blockId));
    }

    internal sealed class Row
    {
        public string Id { get; set; } = "";

        public string Label { get; set; } = "";

        public string? Description { get; set; }

        public string Value { get; set; } = "";

        public long CharLimit { get; set; }

        public long ReadOnly { get; set; }

        public long Version { get; set; }

        public long UpdatedAt { get; set; }

        public string UpdatedBy { get; set; } = "";

        public Block ToBlock() => new(Id, Label, Description, Value, (int)CharLimit, ReadOnly != 0, Version, Clock.FromUnix(UpdatedAt), UpdatedBy);
    }
}
