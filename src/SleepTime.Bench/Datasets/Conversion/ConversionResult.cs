namespace SleepTime.Bench.Datasets.Conversion;

/// <summary>What a conversion wrote, and the rows it left out with the reason (e.g. a one-sentence problem has no context).</summary>
public sealed record ConversionResult(int Written, IReadOnlyList<string> Skipped);
