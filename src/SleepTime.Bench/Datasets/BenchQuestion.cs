namespace SleepTime.Bench.Datasets;

/// <summary>A question about a context with its reference answer (the bare answer, e.g. "72", not a worked solution).</summary>
public sealed record BenchQuestion(string Id, string Text, string Expected);
