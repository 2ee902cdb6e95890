namespace SleepTime.Bench.Datasets.Conversion;

/// <summary>A problem split into what can be studied ahead (the context) and what is asked later (the query).</summary>
public sealed record StatefulSplit(string Context, string Question);
