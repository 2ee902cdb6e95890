namespace SleepTime.Storage;

/// <summary>Where SleepTime keeps its data (configuration section <c>SleepTime:Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "SleepTime:Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The SQLite file; created with its folder when missing.</summary>
    public string SqlitePath { get; set; } = "sleeptime.db";

    /// <summary>The PostgreSQL connection string (Npgsql syntax).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a SQLite writer waits for the file lock before giving up.</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 10_000;
}
