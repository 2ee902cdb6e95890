namespace SleepTime;

public enum SleepStatus
{
    /// <summary>A new learned context was produced (and, through the engine, committed).</summary>
    Succeeded,

    /// <summary>No learned context was produced; the previous one is untouched. <see cref="SleepResult.Error"/> says why.</summary>
    Failed,

    /// <summary>Nothing to do, e.g. the learned context already covers the current context version.</summary>
    Skipped,
}
