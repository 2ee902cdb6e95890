using System.Data.Common;
using Dapper;

namespace SleepTime.Storage;

/// <summary>
/// Memory writes inside one open write transaction: rows are read for update, so the blocks, change sets and
/// watermarks a unit reads cannot change under it, and everything it writes commits with the transaction or not at all.
/// </summary>
internal sealed class SqlMemoryWriter(SleepTimeDatabase database, DbConnection connection, DbTransaction transaction, string tenantId, TimeProvider time) : IMemoryWriter
{
    public async Task<Block?> GetBlockAsync(string blockId, CancellationToken cancellationToken = default)
    {
        var row = await connection.QuerySingleOrDefaultAsync<SqlBlockStore.Row>(
            $"SELECT {SqlBlockStore.Columns} FROM agent_blocks WHERE tenant_id = @tenantId AND id = @blockId" + database.ForUpdate,
            new { tenantId, blockId }, transaction).ConfigureAwait(false);
        return row?.ToBlock();
    }

    public async Task<Block> WriteBlockAsync(Block current, string newValue, string author, CancellationToken cancellationToken = default)
    {
        BlockValidation.ValidateValue(newValue, current.Limit);
        var now = Clock.ToUnix(time.GetUtcNow());
        var written = await connection.ExecuteAsync(
            """
            UPDATE agent_blocks SET value = @newValue, version = version + 1, updated_at = @now, updated_by = @author
            WHERE tenant_id = @tenantId AND id = @Id AND version = @Version
            """,
            new { tenantId, current.Id, current.Version, newValue, author, now }, transaction).ConfigureAwait(false);
        if (written != 1)
        {
            throw new SleepTimeConflictException($"Block '{current.Id}' changed during the write.");
        }

        return current with { Value = newValue, Version = current.Version + 1, UpdatedAt = Clock.FromUnix(now), UpdatedBy = author };
    }

    public async Task<ChangeSet?> GetChangeSetAsync(string changeSetId, CancellationToken cancellationToken = default)
    {
        var body = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT body FROM change_sets WHERE tenant_id = @tenantId AND id = @changeSetId" + database.ForUpdate,
            new { tenantId, changeSetId }, transaction).ConfigureAwait(false);
        return body is null ? null : AgentJson.Read<ChangeSet>(body);
    }

    public async Task SaveChangeSetAsync(ChangeSet changeSet, CancellationToken cancellationToken = default)
    {
        var args = new
        {
            tenantId,
            changeSet.Id,
            changeSet.PrimaryAgentId,
            changeSet.SleepTimeAgentId,
            status = changeSet.Status.ToString(),
            createdAt = Clock.ToUnix(changeSet.CreatedAt),
            body = AgentJson.Write(changeSet),
        };
        var updated = await connection.ExecuteAsync(
            "UPDATE change_sets SET status = @status, body = @body, row_version = row_version + 1 WHERE tenant_id = @tenantId AND id = @Id",
            args, transaction).ConfigureAwait(false);
        if (updated == 0)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO change_sets (tenant_id, id, primary_agent_id, sleeptime_agent_id, status, created_at, row_version, body)
                VALUES (@tenantId, @Id, @PrimaryAgentId, @SleepTimeAgentId, @status, @createdAt, 1, @body)
                """,
                args, transaction).ConfigureAwait(false);
        }
    }

    public async Task<bool> TryAdvanceWatermarkAsync(string sleepTimeAgentId, SleepTimeWatermark expected, SleepTimeWatermark next, CancellationToken cancellationToken = default)
    {
        var moved = await connection.ExecuteAsync(
            """
            UPDATE sleeptime_agents SET watermark_messages = @nextMessages, watermark_documents = @nextDocuments
            WHERE tenant_id = @tenantId AND id = @sleepTimeAgentId AND watermark_messages = @expectedMessages AND watermark_documents = @expectedDocuments
            """,
            new
            {
                tenantId,
                sleepTimeAgentId,
                nextMessages = next.MessageSequence,
                nextDocuments = next.DocumentSequence,
                expectedMessages = expected.MessageSequence,
                expectedDocuments = expected.DocumentSequence,
            },
            transaction).ConfigureAwait(false);
        if (moved == 1)
        {
            return true;
        }

        var exists = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM sleeptime_agents WHERE tenant_id = @tenantId AND id = @sleepTimeAgentId", new { tenantId, sleepTimeAgentId }, transaction).ConfigureAwait(false);
        return exists == 0 ? throw new AgentNotFoundException(sleepTimeAgentId) : false;
    }
}

/// <summary>A tenant's memory writes, each unit in its own write transaction.</summary>
public sealed class SqlMemoryStore(SleepTimeDatabase database, string tenantId, TimeProvider? timeProvider = null) : IMemoryStore
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public async Task<T> WriteAsync<T>(Func<IMemoryWriter, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var result = await work(new SqlMemoryWriter(database, connection, transaction, tenantId, time), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }
}
