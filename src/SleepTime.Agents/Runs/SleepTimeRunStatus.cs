namespace SleepTime.Agents;

public enum SleepTimeRunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Skipped,
}
