namespace SleepTime.Bench.MultiQuery;

/// <summary>What a Multi-Query generation produced: the extended data set how many proposals were dropped, how many contexts got fewer than asked, and how many calls failed.</summary>
public sealed record MultiQueryResult(
    SleepTime.Bench.Datasets.BenchDataset Dataset,
    int Added,
    int Rejected,
    int ContextsShort,
    int ContextsFailed,
    string? FirstError,
    TokenUsage Usage);
