using System.Text.Json;
using System.Text.Json.Serialization;
using SleepTime.Bench.Metrics;

namespace SleepTime.Bench.Reports;

/// <summary>Reads and writes <c>summary.json</c>, the machine-readable result of a run.</summary>
public static class SummaryFile
{
    public const string FileName = "summary.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Write(BenchSummary summary, string folder)
    {
        var path = Path.Combine(folder, FileName);
        File.WriteAllText(path, JsonSerializer.Serialize(summary, Json));
        return path;
    }

    public static BenchSummary Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No {FileName} at {path}: run `sleeptime bench report` on that folder first.", path);
        }

        return JsonSerializer.Deserialize<BenchSummary>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path} is empty.");
    }
}
