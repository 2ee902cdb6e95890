namespace SleepTime.Storage;

/// <summary>Tokens booked in the ledger: sleep runs, queries answered with the learned context, and baseline queries.</summary>
public sealed record UsageTotals(
    TokenUsage Sleep,
    TokenUsage Test,
    long Queries,
    TokenUsage Baseline,
    long BaselineQueries,
    long SleepRuns);
