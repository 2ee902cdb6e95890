namespace SleepTime.Bench.Datasets;

/// <summary>One context <c>c</c> and the questions later asked about it (one for the paper's stateful sets, several for Multi-Query).</summary>
public sealed record BenchContext(string Id, string Text, IReadOnlyList<BenchQuestion> Questions)
{
    /// <summary>The context as the engine's snapshot: a one-entry document at version 1.</summary>
    public ContextSnapshot ToSnapshot()
    {
        var now = DateTimeOffset.UnixEpoch;
        return new ContextSnapshot(Id, ContextKind.Document, 1, 1, [new ContextEntry(1, Text, null, now)], now, now);
    }
}
