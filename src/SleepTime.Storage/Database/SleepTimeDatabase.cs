using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SleepTime.Storage;

/// <summary>
/// Opens connections to the configured database. SQLite runs in WAL mode with a busy timeout so readers never
/// block the writer; PostgreSQL uses Npgsql's pooled data source.
/// </summary>
public sealed class SleepTimeDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource? postgres;
    private readonly string? sqliteConnectionString;
    private readonly int busyTimeoutMilliseconds;

    public SleepTimeDatabase(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Provider = options.Provider;
        busyTimeoutMilliseconds = options.BusyTimeoutMilliseconds;
        if (options.Provider == StorageProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                throw new InvalidOperationException($"{StorageOptions.Section}:ConnectionString is required when the provider is Postgres.");
            }

            ConnectionString = options.ConnectionString;
            postgres = NpgsqlDataSource.Create(options.ConnectionString);
        }
        else
        {
            var path = Path.GetFullPath(options.SqlitePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            sqliteConnectionString = new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Cache = SqliteCacheMode.Private,
                Pooling = true,
                DefaultTimeout = Math.Max(1, busyTimeoutMilliseconds / 1000),
            }.ToString();
            ConnectionString = sqliteConnectionString;
            SqlitePath = path;
        }
    }

    public StorageProvider Provider { get; }

    /// <summary>The connection string the scheduler's job store shares.</summary>
    public string ConnectionString { get; }

    public string? SqlitePath { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (postgres is not null)
        {
            return await postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(sqliteConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>A write transaction: SQLite takes the write lock up front (BEGIN IMMEDIATE) so two writers never deadlock upgrading.</summary>
    public static async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>A read-only transaction whose reads all see one snapshot (SQLite's WAL read transaction; PostgreSQL REPEATABLE READ).</summary>
    public static async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    /// <summary>Row lock suffix for a read that precedes a write in the same transaction.</summary>
    public string ForUpdate => Provider == StorageProvider.Postgres ? " FOR UPDATE" : string.Empty;

    public async ValueTask DisposeAsync()
    {
        if (postgres is not null)
        {
            await postgres.DisposeAsync().ConfigureAwait(false);
        }
    }
}
