namespace SleepTime;

/// <summary>The two phases of sleep-time compute: learning ahead of time, and answering a query.</summary>
public enum ComputePhase
{
    Sleep,
    Test,
}
