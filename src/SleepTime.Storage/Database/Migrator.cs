using System.Data.Common;
using System.Reflection;
using Dapper;

namespace SleepTime.Storage;

/// <summary>
/// Applies the embedded, versioned SQL migrations for the database's dialect, each in its own transaction, and
/// records them in <c>sleeptime_migrations</c>; running it again applies nothing. On PostgreSQL an advisory lock
/// keeps two nodes starting together from applying the same migration twice.
/// </summary>
public static class Migrator
{
    private const long AdvisoryLockKey = 0x51EE_7135;

    public static async Task<IReadOnlyList<int>> MigrateAsync(SleepTimeDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var folder = database.Provider == StorageProvider.Postgres ? "Postgres" : "Sqlite";
        var migrations = LoadMigrations(folder);
        var applied = new List<int>();

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (database.Provider == StorageProvider.Sqlite)
        {
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
        }

        await using (var setup = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            await LockAsync(database, connection, setup).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS sleeptime_migrations (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                transaction: setup).ConfigureAwait(false);
            await setup.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (version, name, sql) in migrations)
        {
            await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await LockAsync(database, connection, transaction).ConfigureAwait(false);
            var done = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM sleeptime_migrations WHERE version = @version", new { version = (long)version }, transaction).ConfigureAwait(false);
            if (done > 0)
            {
                continue;
            }

            await connection.ExecuteAsync(sql, transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "INSERT INTO sleeptime_migrations (version, name, applied_at) VALUES (@version, @name, @now)",
                new { version = (long)version, name, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(version);
        }

        return applied;
    }

    private static Task LockAsync(SleepTimeDatabase database, DbConnection connection, DbTransaction transaction) =>
        database.Provider == StorageProvider.Postgres
            ? connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = AdvisoryLockKey }, transaction)
            : Task.CompletedTask;

    private static List<(int Version, string Name, string Sql)> LoadMigrations(string folder)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Migrations.{folder}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                // MSBuild prefixes resource names that start with a digit with '_'.
                var name = n[prefix.Length..^4].TrimStart('_');
                var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
                return (version, name, Read(assembly, n));
            })
            .OrderBy(m => m.version)
            .ToList();
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
