using System.Text.Json;

namespace SleepTime.Bench.Running;

/// <summary>
/// Everything that defines a run, saved as <c>config.json</c> beside the results. A rerun into the same folder must
/// name the same data set, seed and limit; it may add arms (only the new work is done).
/// </summary>
public sealed record RunConfiguration
{
    public const string FileName = "config.json";

    public required string Dataset { get; init; }

    public required string DatasetKind { get; init; }

    public required IReadOnlyList<string> Arms { get; init; }

    public int Seed { get; init; }

    /// <summary>Use only the first N contexts (after a seeded shuffle when <see cref="Shuffle"/>); null: all.</summary>
    public int? Limit { get; init; }

    public bool Shuffle { get; init; }

    public int Concurrency { get; init; } = 4;

    public required string SleepModel { get; init; }

    public required string TestModel { get; init; }

    public string SleepVariant { get; init; } = nameof(SleepPromptVariant.Math);

    public string SleepMode { get; init; } = nameof(SleepTime.SleepMode.Tools);

    /// <summary>Price of a test-time token in sleep-time tokens (the paper's t).</summary>
    public double PriceRatio { get; init; } = CostModel.PaperRatio;

    public string ToolVersion { get; init; } = typeof(RunConfiguration).Assembly.GetName().Version?.ToString() ?? "0";

    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Options));
    }

    public static RunConfiguration? TryLoad(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RunConfiguration>(File.ReadAllText(path), Options);
        }
        catch (JsonException ex)
        {
            throw new Datasets.DatasetFormatException(path, (int?)ex.LineNumber + 1, $"not a run configuration ({ex.Message}).", ex);
        }
    }

    /// <summary>Why this configuration cannot continue <paramref name="earlier"/>, or null when it can.</summary>
    public string? ConflictWith(RunConfiguration earlier)
    {
        if (!string.Equals(Path.GetFullPath(Dataset), Path.GetFullPath(earlier.Dataset), StringComparison.Ordinal) && !Dataset.StartsWith("generated:", StringComparison.Ordinal))
        {
            return $"the folder holds a run on {earlier.Dataset}, not {Dataset}";
        }

        if (Dataset.StartsWith("generated:", StringComparison.Ordinal) && Dataset != earlier.Dataset)
        {
            return $"the folder holds a run on {earlier.Dataset}, not {Dataset}";
        }

        if (Seed != earlier.Seed || Limit != earlier.Limit || Shuffle != earlier.Shuffle)
        {
            return $"the folder holds a run with seed {earlier.Seed}, limit {earlier.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, shuffle {earlier.Shuffle}";
        }

        if (SleepModel != earlier.SleepModel || TestModel != earlier.TestModel || SleepVariant != earlier.SleepVariant || SleepMode != earlier.SleepMode)
        {
            return $"the folder holds a run with sleep model {earlier.SleepModel} and test model {earlier.TestModel} ({earlier.SleepVariant}, {earlier.SleepMode})";
        }

        return null;
    }

    internal static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
