namespace SleepTime.Bench.Running;

/// <summary>How a run calls its models.</summary>
public sealed record BenchRunOptions
{
    /// <summary>Most model calls in flight at once (a sleep counts as one, whatever its k).</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Sent as the sampling seed; sample <c>i</c> of an arm uses <c>Seed + i</c>.</summary>
    public int Seed { get; init; }

    public SleepPromptVariant SleepVariant { get; init; } = SleepPromptVariant.Math;

    public SleepMode SleepMode { get; init; } = SleepMode.Tools;
}
