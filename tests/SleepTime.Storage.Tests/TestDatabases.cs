using Npgsql;

namespace SleepTime.Storage.Tests;

/// <summary>A fresh, migrated database per test: a temp SQLite file, or a PostgreSQL schema of its own.</summary>
public static class TestDatabases
{
    public static async Task<SleepTimeDatabase> SqliteAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "sleeptime-tests", Guid.NewGuid().ToString("N") + ".db");
        var database = new SleepTimeDatabase(new StorageOptions { Provider = StorageProvider.Sqlite, SqlitePath = path });
        await Migrator.MigrateAsync(database);
        return database;
    }

    /// <summary>Creates an empty schema and returns a connection string whose search path points at it.</summary>
    public static async Task<string> CreatePostgresSchemaAsync()
    {
        var baseConnection = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)
            ?? throw new InvalidOperationException($"{PostgresFactAttribute.Variable} is not set.");
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(baseConnection))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(baseConnection) { SearchPath = schema }.ToString();
    }

    public static async Task<SleepTimeDatabase> PostgresAsync()
    {
        var database = new SleepTimeDatabase(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = await CreatePostgresSchemaAsync() });
        await Migrator.MigrateAsync(database);
        return database;
    }
}
