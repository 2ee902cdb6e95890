namespace SleepTime.Storage;

public enum StorageProvider
{
    /// <summary>An embedded SQLite file: zero set-up, one node.</summary>
    Sqlite,

    /// <summary>A shared PostgreSQL database: several nodes.</summary>
    Postgres,
}
