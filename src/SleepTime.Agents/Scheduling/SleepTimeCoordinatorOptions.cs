namespace SleepTime.Agents;

public sealed record SleepTimeCoordinatorOptions
{
    /// <summary>Runs of different sleep-time agents that may execute at once (one agent never runs twice at once).</summary>
    public int MaxConcurrentRuns { get; init; } = 4;

    /// <summary>Attempts per batch of work, the first included; a failed run is retried until this many failed.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Wait before a retry, times the attempt number.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Documents longer than this are stored as several parts, read one batch per run.</summary>
    public int DocumentPartCharacters { get; init; } = 12_000;

    /// <summary>
    /// Document parts one run reads; the rest are read by follow-up runs, so findings reach the blocks part by part
    /// instead of after the whole document.
    /// </summary>
    public int MaxDocumentPartsPerRun { get; init; } = 1;

    public SleepTimeLoopOptions Loop { get; init; } = new();

    public ITokenCounter? TokenCounter { get; init; }
}
