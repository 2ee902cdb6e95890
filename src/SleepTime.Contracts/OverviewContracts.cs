namespace SleepTime.Server;

/// <summary>The tenant's overview: counts, runs in flight, today's ledger and one entry per UTC day (oldest first, today last).</summary>
public sealed record OverviewView(
    long Contexts,
    long Agents,
    long RunsQueued,
    long RunsRunning,
    long SleepTokensToday,
    long TestTokensToday,
    long QueriesToday,
    IReadOnlyList<UsageDayView> Days);

/// <summary>One UTC day of the ledger: sleep and test tokens (input + output), queries and agent turns answered, sleep runs booked.</summary>
public sealed record UsageDayView(string Day, long SleepTokens, long TestTokens, long Queries, long SleepRuns);
