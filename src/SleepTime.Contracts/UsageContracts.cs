namespace SleepTime.Server;

/// <summary>
/// Tokens by phase and what a query costs amortized over the queries so far (in sleep-token units, a test
/// token priced at <c>cost_ratio</c>), against answering the same queries with the baseline arm.
/// </summary>
public sealed record UsageReport(
    string Scope,
    UsageView SleepTokens,
    UsageView TestTokens,
    long QueriesAnswered,
    long SleepRuns,
    long BaselineQueries,
    UsageView BaselineTokens,
    double CostRatio,
    double? AmortizedCostPerQuery,
    double? BaselineCostPerQuery,
    double? EstimatedSavingsPerQuery,
    long SleepTokensToday);
