using System.Text.Json;

namespace SleepTime.Cli.Tests;

/// <summary><c>sleeptime bench codebase</c>: the generated fixture in the SWE-Features format, then the budget sweep over it.</summary>
public sealed class BenchCodebaseCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "sleeptime-cli-codebase-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal); // git writes its objects read-only
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_fixture_and_a_dry_run_sweep_write_every_arm_at_every_budget()
    {
        var data = Path.Combine(folder, "swe-features.jsonl");
        var output = Path.Combine(folder, "out");

        Assert.Equal(0, await CliApp.RunAsync(["bench", "codebase", "fixture", folder]));
        var tasks = File.ReadAllLines(data).Length;
        Assert.True(tasks > 0);
        Assert.Equal(0, await CliApp.RunAsync(["bench", "codebase", "run", "--data", data, "--related", Path.Combine(folder, "related.jsonl"), "--repos", folder, "--out", output, "--fake", "--budgets", "2,1"]));

        var points = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json"))).RootElement.GetProperty("points").EnumerateArray()
            .Select(p => (p.GetProperty("arm").GetString(), p.GetProperty("max_steps").GetInt32(), p.GetProperty("count").GetInt32()))
            .ToList();
        Assert.Equal([("baseline", 1, tasks), ("baseline", 2, tasks), ("sleep-time", 1, tasks), ("sleep-time", 2, tasks)], points);
        Assert.Equal(tasks * 4, File.ReadAllLines(Path.Combine(output, "results.jsonl")).Length);
        Assert.True(File.Exists(Path.Combine(output, "f1-vs-tokens.svg")));
    }

    [Fact]
    public async Task A_budget_that_is_not_a_whole_number_of_steps_is_refused_before_anything_runs()
    {
        Assert.Equal(0, await CliApp.RunAsync(["bench", "codebase", "fixture", folder]));
        var output = Path.Combine(folder, "out");

        var exit = await CliApp.RunAsync(["bench", "codebase", "run", "--data", Path.Combine(folder, "swe-features.jsonl"), "--repos", folder, "--out", output, "--fake", "--budgets", "2,zero"]);

        Assert.NotEqual(0, exit);
        Assert.False(Directory.Exists(output));
    }
}
