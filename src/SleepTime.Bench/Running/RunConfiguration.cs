using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SleepTime.Bench.Provenance;

namespace SleepTime.Bench.Running;

/// <summary>
/// Everything that defines a run, saved as <c>config.json</c> beside the results: the data set with its content
/// hash, arms, selection, models, sampling per phase, every prompt with its hash, and the code version. A rerun
/// into the same folder must match it (<see cref="ChangesSince"/>); it may add arms (only the new work is done).
/// </summary>
public sealed record RunConfiguration
{
    public const string FileName = "config.json";

    public required string Dataset { get; init; }

    public required string DatasetKind { get; init; }

    /// <summary>SHA-256 of the data set file as read.</summary>
    public string? DatasetHash { get; init; }

    public required IReadOnlyList<string> Arms { get; init; }

    /// <summary>Seed of the context shuffle.</summary>
    public int Seed { get; init; }

    /// <summary>Use only the first N contexts (after a seeded shuffle when <see cref="Shuffle"/>); null: all.</summary>
    public int? Limit { get; init; }

    public bool Shuffle { get; init; }

    public int Concurrency { get; init; } = 4;

    public required string SleepModel { get; init; }

    public required string TestModel { get; init; }

    /// <summary>Temperature of the sleep calls; null: not sent.</summary>
    public double? SleepTemperature { get; init; }

    /// <summary>Seed of the sleep calls (run i of k gets seed + i); null: not sent.</summary>
    public long? SleepSeed { get; init; }

    public double? TestTemperature { get; init; }

    /// <summary>Seed of the answer calls (sample i of pass@k gets seed + i); null: not sent.</summary>
    public long? TestSeed { get; init; }

    /// <summary>The sleep prompt variant; <see cref="AutoVariant"/>: math for GSM and AIME, general for the memory benchmarks.</summary>
    public string SleepVariant { get; init; } = nameof(SleepPromptVariant.Math);

    public const string AutoVariant = "auto";

    public string SleepMode { get; init; } = nameof(SleepTime.SleepMode.Tools);

    /// <summary>Where the prompts came from: <see cref="PromptSet.BuiltIn"/> or a folder.</summary>
    public string PromptSource { get; init; } = PromptSet.BuiltIn;

    /// <summary>Every prompt (<c>id.vN</c>) with the SHA-256 of its text.</summary>
    public IReadOnlyDictionary<string, string> Prompts { get; init; } = new Dictionary<string, string>();

    /// <summary>The judge model of the memory benchmarks (without its key); null: no judge.</summary>
    public string? JudgeModel { get; init; }

    /// <summary>Where the judge prompt came from: the project's own (<c>judge-longmemeval.v1</c>, ...) or a file.</summary>
    public string? JudgePromptSource { get; init; }

    /// <summary>SHA-256 of the judge prompt's text.</summary>
    public string? JudgePromptHash { get; init; }

    /// <summary>Price of a test-time token in sleep-time tokens (the paper's t).</summary>
    public double PriceRatio { get; init; } = CostModel.PaperRatio;

    public string CodeVersion { get; init; } = Provenance.CodeVersion.Current;

    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    [JsonIgnore]
    public PhaseSampling SleepSampling => new(SleepTemperature, SleepSeed);

    [JsonIgnore]
    public PhaseSampling TestSampling => new(TestTemperature, TestSeed);

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

    /// <summary>
    /// What differs from <paramref name="earlier"/>: <see cref="RunChanges.Settings"/> (data set path, selection,
    /// models, sampling, sleep prompt variant) can never be continued; <see cref="RunChanges.Content"/> (data set
    /// content, prompt texts, code version) only with an explicit allowance, after which results that depended on
    /// the changed content are recomputed.
    /// </summary>
    public RunChanges ChangesSince(RunConfiguration earlier)
    {
        var settings = new List<string>();
        var content = new List<string>();
        if (!string.Equals(DatasetIdentity(Dataset), DatasetIdentity(earlier.Dataset), StringComparison.Ordinal))
        {
            settings.Add($"the data set is {Dataset}, the folder's run used {earlier.Dataset}");
        }

        if (Seed != earlier.Seed || Limit != earlier.Limit || Shuffle != earlier.Shuffle)
        {
            settings.Add($"the selection is seed {Seed}, limit {Show(Limit)}, shuffle {Shuffle}; the folder's run used seed {earlier.Seed}, limit {Show(earlier.Limit)}, shuffle {earlier.Shuffle}");
        }

        if (SleepModel != earlier.SleepModel || TestModel != earlier.TestModel)
        {
            settings.Add($"the models are sleep {SleepModel} and test {TestModel}; the folder's run used sleep {earlier.SleepModel} and test {earlier.TestModel}");
        }

        if (SleepSampling != earlier.SleepSampling)
        {
            settings.Add($"sleep sampling is {SleepSampling}; the folder's run used {earlier.SleepSampling}");
        }

        if (TestSampling != earlier.TestSampling)
        {
            settings.Add($"test sampling is {TestSampling}; the folder's run used {earlier.TestSampling}");
        }

        if (SleepVariant != earlier.SleepVariant || SleepMode != earlier.SleepMode)
        {
            settings.Add($"the sleep prompt is {SleepVariant}/{SleepMode}; the folder's run used {earlier.SleepVariant}/{earlier.SleepMode}");
        }

        if (earlier.DatasetHash is not null && DatasetHash is not null && DatasetHash != earlier.DatasetHash)
        {
            content.Add($"the data set's content changed (sha256 {ContentHash.Short(earlier.DatasetHash)} → {ContentHash.Short(DatasetHash)})");
        }

        if (earlier.Prompts.Count > 0)
        {
            var changed = Prompts.Where(p => earlier.Prompts.TryGetValue(p.Key, out var before) && before != p.Value).Select(p => p.Key)
                .Concat(earlier.Prompts.Keys.Where(k => !Prompts.ContainsKey(k)).Select(k => k + " (gone)"))
                .Concat(Prompts.Keys.Where(k => !earlier.Prompts.ContainsKey(k)).Select(k => k + " (new)"))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (changed.Count > 0)
            {
                content.Add($"prompts changed: {string.Join(", ", changed)} (now from {PromptSource}, the folder's run used {earlier.PromptSource})");
            }
        }

        if (JudgeModel != earlier.JudgeModel || JudgePromptHash != earlier.JudgePromptHash)
        {
            content.Add($"the judge is {JudgeModel ?? "none"} with {JudgePromptSource ?? "no prompt"}; the folder's run used {earlier.JudgeModel ?? "none"} with {earlier.JudgePromptSource ?? "no prompt"}");
        }

        if (CodeVersion != earlier.CodeVersion)
        {
            content.Add($"the code version is {CodeVersion}, the folder's run used {earlier.CodeVersion}");
        }

        return new RunChanges(settings, content);
    }

    private static string DatasetIdentity(string dataset) =>
        dataset.StartsWith("generated:", StringComparison.Ordinal) ? dataset : Path.GetFullPath(dataset);

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "none";

    internal static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>How a new configuration differs from the one a results folder was made with.</summary>
public sealed record RunChanges(IReadOnlyList<string> Settings, IReadOnlyList<string> Content)
{
    public bool None => Settings.Count == 0 && Content.Count == 0;
}
