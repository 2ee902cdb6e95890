using Npgsql;

namespace SleepTime.Server.Tests.Processes;

/// <summary>A PostgreSQL database of its own for one test, on the server named by SLEEPTIME_TEST_POSTGRES; dropped on dispose.</summary>
public sealed class ScratchPostgresDatabase : IAsyncDisposable
{
    private readonly string serverConnectionString;
    private readonly string name;

    private ScratchPostgresDatabase(string serverConnectionString, string name)
    {
        this.serverConnectionString = serverConnectionString;
        this.name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ToString();
    }

    public string ConnectionString { get; }

    public static async Task<ScratchPostgresDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)
            ?? throw new InvalidOperationException($"{PostgresFactAttribute.Variable} is not set.");
        var database = new ScratchPostgresDatabase(server, "st_" + Guid.NewGuid().ToString("N"));
        await database.ExecuteAsync($"CREATE DATABASE {database.name}");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
