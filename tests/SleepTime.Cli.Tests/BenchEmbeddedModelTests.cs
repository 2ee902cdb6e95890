using System.Text.Json;

namespace SleepTime.Cli.Tests;

/// <summary><c>bench run</c> with no endpoint: the embedded sleeptime-tiny, on the prompts and sleep mode it was trained on.</summary>
public sealed class BenchEmbeddedModelTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"sleeptime-embedded-{Guid.NewGuid():N}");

    public BenchEmbeddedModelTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task A_bench_run_without_an_endpoint_runs_sleeptime_tiny_with_compact_prompts_and_plain_text_sleep()
    {
        var dataset = Path.Combine(folder, "gen.jsonl");
        var results = Path.Combine(folder, "run");
        Assert.Equal(0, await CliApp.RunAsync(["bench", "generate", "--out", dataset, "--seed", "7", "--contexts", "2", "--min-questions", "1", "--max-questions", "1"]));

        var exit = await CliApp.RunAsync(["bench", "run", "--dataset", dataset, "--arms", "baseline:v=0", "sleep:k=1,v=0", "--out", results, "--no-report", "--concurrency", "1"]);

        Assert.Equal(0, exit);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "config.json")));
        var root = config.RootElement;
        Assert.Equal("Local:sleeptime-tiny+calculator+lookup", root.GetProperty("test_model").GetString());
        Assert.Equal("Local:sleeptime-tiny+calculator+lookup", root.GetProperty("sleep_model").GetString());
        Assert.Equal("built-in:compact", root.GetProperty("prompt_source").GetString());
        Assert.Equal("PlainText", root.GetProperty("sleep_mode").GetString());
        var records = File.ReadAllLines(Path.Combine(results, "results.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(4, records.Count(r => r.GetProperty("type").GetString() == "answer"));
        Assert.All(records.Where(r => r.GetProperty("type").GetString() == "answer"), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("error").ValueKind));
        Assert.Equal(2, records.Count(r => r.GetProperty("type").GetString() == "sleep" && r.GetProperty("succeeded").GetBoolean()));
    }

    [Fact]
    public async Task A_local_provider_without_a_model_file_is_a_clear_error()
    {
        var dataset = Path.Combine(folder, "gen.jsonl");
        Assert.Equal(0, await CliApp.RunAsync(["bench", "generate", "--out", dataset, "--seed", "7", "--contexts", "1", "--min-questions", "1", "--max-questions", "1"]));

        var exit = await CliApp.RunAsync(["bench", "run", "--dataset", dataset, "--arms", "baseline:v=0", "--out", Path.Combine(folder, "run"), "--provider", "local"]);

        Assert.NotEqual(0, exit);
        Assert.False(File.Exists(Path.Combine(folder, "run", "results.jsonl")));
    }
}
