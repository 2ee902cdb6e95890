namespace SleepTime.Agents;

/// <summary>The pure part of scheduling: given what happened since the last attempt, is a run due?</summary>
public static class TriggerPolicy
{
    public static SleepTimeTrigger? AfterTurn(SleepTimeTriggers triggers, int turnsSinceAttempt, long tokensSinceAttempt)
    {
        if (triggers.EveryTurns is { } every && turnsSinceAttempt >= every)
        {
            return SleepTimeTrigger.Turns;
        }

        return triggers.TranscriptTokens is { } threshold && tokensSinceAttempt >= threshold ? SleepTimeTrigger.TranscriptVolume : null;
    }

    public static bool IdleDue(SleepTimeTriggers triggers, int turnsSinceAttempt, DateTimeOffset lastTurnAt, DateTimeOffset now) =>
        triggers.IdleAfter is { } idle && turnsSinceAttempt > 0 && now - lastTurnAt >= idle;

    /// <summary>The start of the UTC day <paramref name="now"/> falls in: daily budgets reset there.</summary>
    public static DateTimeOffset BudgetDayStart(DateTimeOffset now) => new(now.UtcDateTime.Date, TimeSpan.Zero);
}
