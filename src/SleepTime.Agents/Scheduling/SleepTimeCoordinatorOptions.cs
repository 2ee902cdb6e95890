namespace SleepTime.Agents;

public sealed record SleepTimeCoordinatorOptions
{
    /// <summary>Runs of different sleep-time agents that may execute at once (one agent never runs twice at once).</summary>
    public int MaxConcurrentRuns { get; init; } = 4;

    /// <summary>Attempts per batch of work, the first included; a failed run is retried until this many failed.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Wait before a retry, times the attempt number.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public SleepTimeLoopOptions Loop { get; init; } = new();

    public ITokenCounter? TokenCounter { get; init; }
}
