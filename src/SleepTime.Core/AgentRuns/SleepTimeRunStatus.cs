namespace SleepTime;

public enum SleepTimeRunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Skipped,
}
