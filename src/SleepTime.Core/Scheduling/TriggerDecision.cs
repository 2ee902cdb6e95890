namespace SleepTime;

/// <summary>What a sleeper's policy asks for after its sources changed.</summary>
/// <param name="Trigger">The run to queue (a <see cref="TriggerKinds"/> value), or null for none.</param>
/// <param name="RunAt">When that run may start.</param>
/// <param name="Reschedule">Move an already queued run's start to <paramref name="RunAt"/> (a trailing debounce); otherwise keep the earlier start.</param>
/// <param name="IdleAt">When to look again for an idle sleep, or null.</param>
public sealed record TriggerDecision(string? Trigger, DateTimeOffset RunAt, bool Reschedule, DateTimeOffset? IdleAt)
{
    /// <summary>The decision after an append, from what is unread since the sleeper's watermark.</summary>
    public static TriggerDecision AfterAppend(SchedulePolicy policy, UnreadSources unread, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        DateTimeOffset? idleAt = policy.IdleSeconds > 0 && unread.Any ? now.AddSeconds(policy.IdleSeconds) : null;
        if (unread.Documents > 0)
        {
            return new(TriggerKinds.Document, now, false, idleAt);
        }

        if (policy.EveryTurns > 0 && unread.UserTurns >= policy.EveryTurns)
        {
            return new(TriggerKinds.Turns, now, false, idleAt);
        }

        if (policy.TranscriptTokens > 0 && unread.Tokens >= policy.TranscriptTokens)
        {
            return new(TriggerKinds.TranscriptTokens, now, false, idleAt);
        }

        if (policy.OnChange && policy.EveryTurns == 0 && unread.Any)
        {
            // Trailing debounce, bounded: a sleeper under continuous changes still sleeps within the maximum wait.
            var runAt = now + policy.Debounce;
            if (policy.MaxWaitSeconds > 0 && unread.OldestAt is { } oldest && oldest.AddSeconds(policy.MaxWaitSeconds) < runAt)
            {
                runAt = oldest.AddSeconds(policy.MaxWaitSeconds) < now ? now : oldest.AddSeconds(policy.MaxWaitSeconds);
            }

            return new(TriggerKinds.Change, runAt, true, idleAt);
        }

        return new(null, now, false, idleAt);
    }

    /// <summary>Whether a time-based trigger (idle or cron) should queue a run: only when something is unread.</summary>
    public static bool TimeTriggerDue(UnreadSources unread) => unread.Any;
}

/// <summary>What a sleeper has not read yet: everything its sources gained after its committed watermark.</summary>
/// <param name="Entries">Source entries of any kind (context entries, agent messages).</param>
/// <param name="UserTurns">Of those, turns by the user (a "turn" is always a user turn).</param>
/// <param name="Tokens">Transcript tokens of the unread messages.</param>
/// <param name="Documents">Unread agent documents.</param>
/// <param name="OldestAt">When the oldest unread entry arrived.</param>
public readonly record struct UnreadSources(int Entries, int UserTurns, long Tokens, int Documents, DateTimeOffset? OldestAt)
{
    public bool Any => Entries > 0 || Documents > 0;
}

/// <summary>Why a run was queued.</summary>
public static class TriggerKinds
{
    public const string Change = "change";
    public const string Turns = "turns";
    public const string TranscriptTokens = "transcript_tokens";
    public const string Document = "document";
    public const string Idle = "idle";
    public const string Cron = "cron";
    public const string Manual = "manual";
}
