using Quartz;

namespace SleepTime.Server;

/// <summary>The scheduler's cron syntax (Quartz, seconds first), for validating a schedule before it is stored.</summary>
public static class CronRules
{
    /// <summary>What is wrong with <paramref name="cron"/>, or null when it is valid and fires after <paramref name="instant"/>.</summary>
    public static string? Problem(string cron, DateTimeOffset instant)
    {
        if (!CronExpression.TryParse(cron, out _))
        {
            return $"'{cron}' is not a valid cron expression (Quartz syntax, seconds first).";
        }

        return new CronExpression(cron).GetNextValidTimeAfter(instant) is null
            ? $"The cron expression '{cron}' never fires again (e.g. a date that does not exist or a year in the past)."
            : null;
    }

    /// <summary>Validates a policy, with this scheduler's cron syntax.</summary>
    public static void Validate(SchedulePolicy policy) => policy.Validate(cron => Problem(cron, DateTimeOffset.UtcNow));
}
