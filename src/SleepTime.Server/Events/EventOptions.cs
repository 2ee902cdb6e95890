namespace SleepTime.Server;

/// <summary><c>SleepTime:Events</c>: SSE heartbeats and how long the durable event log is kept.</summary>
public sealed class EventOptions
{
    public const string Section = "SleepTime:Events";

    /// <summary>Seconds between heartbeat comments on an idle SSE stream (at least 0.05).</summary>
    public double HeartbeatSeconds { get; set; } = 15;

    /// <summary>Events kept in the log at most (a resume further back than this starts at the oldest kept).</summary>
    public long RetentionCount { get; set; } = 100_000;

    /// <summary>Events older than this are deleted.</summary>
    public double RetentionHours { get; set; } = 24 * 7;

    /// <summary>PostgreSQL: how often a node reads the log when no notification came (a safety net for a lost one).</summary>
    public double PollSeconds { get; set; } = 2;

    internal TimeSpan Heartbeat => TimeSpan.FromSeconds(Math.Max(0.05, HeartbeatSeconds));

    internal TimeSpan Poll => TimeSpan.FromSeconds(Math.Max(0.05, PollSeconds));
}
