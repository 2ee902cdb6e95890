namespace SleepTime.Bench.Datasets.Conversion;

/// <summary>
/// What a conversion wrote, the rows it left out with the reason, and warnings about rows it wrote but that need a
/// look (e.g. an AIME query that does not read as a question: fix it with an override).
/// </summary>
public sealed record ConversionResult(int Written, IReadOnlyList<string> Skipped, IReadOnlyList<string>? Warnings = null)
{
    public IReadOnlyList<string> Warnings { get; init; } = Warnings ?? [];
}
