namespace SleepTime.Storage.Tests;

/// <summary>The ledger keeps cached input, reasoning and the estimated mark, on both databases, and sums them.</summary>
public sealed class LedgerDetailTests
{
    [Fact]
    public Task Sqlite_keeps_cached_reasoning_and_estimated() => KeepsDetailsAsync(TestDatabases.SqliteAsync);

    [PostgresFact]
    public Task Postgres_keeps_cached_reasoning_and_estimated() => KeepsDetailsAsync(TestDatabases.PostgresAsync);

    private static async Task KeepsDetailsAsync(Func<Task<SleepTimeDatabase>> create)
    {
        await using var database = await create();
        var ledger = new UsageLedger(database);

        await ledger.RecordTurnAsync("t", "agent-1", new TokenUsage(100, 20, ReasoningTokens: 5, CachedInputTokens: 60));
        Assert.Equal(new TokenUsage(100, 20, 5, 60, Estimated: false), (await ledger.TotalsAsync("t", "agent-1")).Test);

        await ledger.RecordTurnAsync("t", "agent-1", new TokenUsage(10, 2, ReasoningTokens: 1, CachedInputTokens: 3, Estimated: true));
        var totals = await ledger.TotalsAsync("t");

        Assert.Equal(new TokenUsage(110, 22, 6, 63, Estimated: true), totals.Test);
        Assert.Equal(2, totals.Queries);
    }
}
