namespace SleepTime.Server;

/// <summary>When and how sleep runs happen (configuration section <c>SleepTime:Scheduling</c>).</summary>
public sealed class SchedulingOptions
{
    public const string Section = "SleepTime:Scheduling";

    /// <summary>Defaults for contexts that set no schedule of their own.</summary>
    public SchedulePolicy Defaults { get; set; } = new();

    /// <summary>Sleep runs worked on at once by this node.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>Attempts a run gets before it ends failed (model errors, conflicts, process crashes).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait before the first retry; doubled for each one after.</summary>
    public double RetryBaseDelaySeconds { get; set; } = 2;

    /// <summary>Share the runs with other nodes on the same PostgreSQL (Quartz clustering). Needs the Postgres provider.</summary>
    public bool Clustered { get; set; }

    /// <summary>How often a clustered node checks in; a node silent for longer is taken for dead and its runs recovered.</summary>
    public double ClusterCheckinSeconds { get; set; } = 5;

    /// <summary>This node's name in run records; the machine name by default.</summary>
    public string? NodeName { get; set; }
}
