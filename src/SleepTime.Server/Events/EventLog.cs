using System.Data.Common;
using Dapper;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// The durable event sequence (table <c>events</c>). Ids are handed out in commit order: on PostgreSQL every append
/// takes one advisory transaction lock, so an id is never committed after a larger one and "everything after id N"
/// is exact for replays and for the relay between nodes; SQLite has one writer anyway. A PostgreSQL append also
/// notifies <see cref="NotifyChannel"/> in its transaction (delivered at commit).
/// </summary>
public sealed class EventLog(SleepTimeDatabase database)
{
    public const string NotifyChannel = "sleeptime_events";
    private const long AppendLockKey = 0x51EE_E7E1;
    private const string Columns = "id AS Id, tenant_id AS TenantId, stream AS Stream, memory_id AS MemoryId, type AS Type, data AS Data, at AS At";

    public bool IsShared => database.Provider == StorageProvider.Postgres;

    internal SleepTimeDatabase Database => database;

    /// <summary>Appends the events in order, in one transaction, and returns them with their ids.</summary>
    public async Task<IReadOnlyList<StoredEvent>> AppendAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        if (IsShared)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = AppendLockKey }, transaction).ConfigureAwait(false);
        }

        var stored = new List<StoredEvent>(events.Count);
        foreach (var e in events)
        {
            var id = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO events (tenant_id, stream, memory_id, type, data, at) VALUES (@TenantId, @stream, @MemoryId, @Type, @DataJson, @at) RETURNING id",
                new { e.TenantId, stream = StreamName(e.Stream), e.MemoryId, e.Type, e.DataJson, at = e.At.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            stored.Add(e with { Id = id });
        }

        if (IsShared)
        {
            await connection.ExecuteAsync($"SELECT pg_notify('{NotifyChannel}', '')", transaction: transaction).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>The subscriber's events after <paramref name="afterId"/>, oldest first.</summary>
    public Task<IReadOnlyList<StoredEvent>> ReadAsync(EventFilter filter, long afterId, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"SELECT {Columns} FROM events WHERE tenant_id = @tenantId AND stream = @stream AND (@memoryId IS NULL OR memory_id = @memoryId) AND id > @afterId ORDER BY id LIMIT @limit",
            new { tenantId = filter.TenantId, stream = StreamName(filter.Stream), memoryId = filter.MemoryId, afterId, limit = (long)limit },
            cancellationToken);

    /// <summary>Every tenant's events after <paramref name="afterId"/>, oldest first (the relay between nodes).</summary>
    public Task<IReadOnlyList<StoredEvent>> ReadAllAsync(long afterId, int limit, DbConnection? connection = null, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM events WHERE id > @afterId ORDER BY id LIMIT @limit", new { afterId, limit = (long)limit }, cancellationToken, connection);

    public async Task<long> LastIdAsync(DbConnection? connection = null, CancellationToken cancellationToken = default)
    {
        if (connection is not null)
        {
            return await connection.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM events").ConfigureAwait(false) ?? 0;
        }

        await using var own = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await own.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM events").ConfigureAwait(false) ?? 0;
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> events and those older than <paramref name="before"/>.</summary>
    public async Task<int> PruneAsync(long keep, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var last = await connection.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM events").ConfigureAwait(false) ?? 0;
        return await connection.ExecuteAsync(
            "DELETE FROM events WHERE id <= @oldest OR at < @before",
            new { oldest = last - Math.Max(0, keep), before = before.ToUnixTimeMilliseconds() }).ConfigureAwait(false);
    }

    public static string StreamName(EventStream stream) => stream == EventStream.Agents ? "agents" : "contexts";

    private async Task<IReadOnlyList<StoredEvent>> QueryAsync(string sql, object parameters, CancellationToken cancellationToken, DbConnection? connection = null)
    {
        if (connection is not null)
        {
            return (await connection.QueryAsync<Row>(sql, parameters).ConfigureAwait(false)).Select(r => r.ToEvent()).ToList();
        }

        await using var own = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await own.QueryAsync<Row>(sql, parameters).ConfigureAwait(false)).Select(r => r.ToEvent()).ToList();
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string TenantId { get; set; } = "";
        public string Stream { get; set; } = "";
        public string MemoryId { get; set; } = "";
        public string Type { get; set; } = "";
        public string Data { get; set; } = "";
        public long At { get; set; }

        public StoredEvent ToEvent() => new(Id, Type, TenantId, MemoryId, Stream == "agents" ? EventStream.Agents : EventStream.Contexts, Data, DateTimeOffset.FromUnixTimeMilliseconds(At));
    }
}
