namespace SleepTime.Bench.Datasets;

/// <summary>A question about a context with its reference answer (the bare answer, e.g. "72", not a worked solution).</summary>
public sealed record BenchQuestion(string Id, string Text, string Expected)
{
    /// <summary>The benchmark's own breakdown of questions (LongMemEval's question type, LoCoMo's category); null for the math sets.</summary>
    public string? Category { get; init; }
}
