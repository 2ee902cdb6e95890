using SleepTime.Bench.Codebases;

namespace SleepTime.Bench.Tests.Codebases;

public sealed class CodebaseBenchTests : IAsyncLifetime
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "sleeptime-swe-" + Guid.NewGuid().ToString("N"));
    private string data = string.Empty;
    private string related = string.Empty;

    public async Task InitializeAsync() => (_, data, related) = await FixtureDataset.WriteAsync(root);

    public Task DisposeAsync()
    {
        Directory.Delete(root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_scripted_model_explores_the_fixture_and_the_sleep_time_agent_names_the_files_F1_as_computed_by_hand()
    {
        var instances = SweFeaturesReader.Read(data);
        var model = new ExplorerModel();
        var options = new CodebaseBenchOptions { ReposRoot = root, Budgets = [1, 3], Related = SweFeaturesReader.Read(related) };

        var summary = await new CodebaseBench(model, model).RunAsync(instances, options);

        Assert.All(summary.Sleeps, s => Assert.True(s.Succeeded, s.Error));
        Assert.All(summary.Sleeps, s => Assert.Equal(5, s.ToolCalls));

        // By hand, from the memory lines the explorer writes (title: changed files, tests left out when answering):
        // 101 "order": Add orders with pricing + Send an email ... order -> order.py, pricing.py, routes/orders.py, email.py, config.py
        //     truth pricing.py, routes/orders.py, models/order.py: P = 3/5, R = 3/3, F1 = 2 * 0.6 * 1 / 1.6 = 0.75
        // 102 "user": models/user.py, routes/users.py = the truth: F1 = 1
        // 103 "product": models/product.py, routes/products.py vs models/product.py, routes/orders.py: P = R = 1/2, F1 = 0.5
        // 104 "email": email.py, config.py, routes/orders.py vs config.py, email.py: P = 2/3, R = 1, F1 = 2 * (2/3) / (5/3) = 0.8
        var byHand = new Dictionary<int, (double P, double R, double F1)> { [101] = (0.6, 1, 0.75), [102] = (1, 1, 1), [103] = (0.5, 0.5, 0.5), [104] = (2.0 / 3, 1, 0.8) };
        foreach (var result in summary.Results.Where(r => r.Arm == CodebaseBench.SleepTime))
        {
            var (p, r, f1) = byHand[result.PrNumber];
            Assert.Equal(p, result.Precision, 9);
            Assert.Equal(r, result.Recall, 9);
            Assert.Equal(f1, result.F1, 9);
            Assert.DoesNotContain("app/models/discount.py", result.Expected);
        }

        Assert.Equal(["app/models/user.py", "app/routes/users.py"], summary.Results.First(r => r.Arm == CodebaseBench.SleepTime && r.PrNumber == 102).Predicted);
        var point = (string arm, int steps) => summary.Points.Single(p => p.Arm == arm && p.MaxSteps == steps);
        Assert.Equal((0.75 + 1 + 0.5 + 0.8) / 4, point(CodebaseBench.SleepTime, 1).F1, 9);
        Assert.Equal((0.75 + 1 + 0.5 + 0.8) / 4, point(CodebaseBench.SleepTime, 3).F1, 9);
        Assert.Equal(0, point(CodebaseBench.Baseline, 1).F1);
        Assert.Equal(120, point(CodebaseBench.SleepTime, 3).AvgTestTokens);
        Assert.Equal(240, point(CodebaseBench.Baseline, 3).AvgTestTokens);

        // Baseline at 3 steps: the (case-sensitive) search for "order" matches routes/orders.py, pricing.py and email.py, not
        // models/order.py ("class Order"), tests left out: 2 of 3 right, 2 of 3 found, F1 = 2/3.
        var baseline = summary.Results.Single(r => r.Arm == CodebaseBench.Baseline && r.MaxSteps == 3 && r.PrNumber == 101);
        Assert.Equal(["app/routes/orders.py", "app/services/email.py", "app/services/pricing.py"], baseline.Predicted.Order(StringComparer.Ordinal));
        Assert.Equal(2.0 / 3, baseline.Precision, 9);
        Assert.Equal(2.0 / 3, baseline.Recall, 9);
        Assert.Equal(2.0 / 3, baseline.F1, 9);
    }

    [Fact]
    public async Task The_report_writes_results_the_summary_and_the_figure()
    {
        var model = new ExplorerModel();
        var summary = await new CodebaseBench(model, model).RunAsync(
            SweFeaturesReader.Read(data).Take(1).ToList(), new CodebaseBenchOptions { ReposRoot = root, Budgets = [1, 2], Related = SweFeaturesReader.Read(related) });
        var folder = Path.Combine(root, "out");

        var files = CodebaseBenchReport.Write(summary, folder);

        Assert.Equal(["results.jsonl", "summary.json", "summary.md", "f1-vs-tokens.png", "f1-vs-tokens.svg"], files.Select(Path.GetFileName));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(folder, "results.jsonl")).Length);
        Assert.Contains("| sleep-time | 2 | 1 | 0.600 | 1.000 | 0.750 | 120 |", File.ReadAllText(Path.Combine(folder, "summary.md")), StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(folder, "f1-vs-tokens.png")).Length > 1000);
    }

    [Fact]
    public void Reads_the_published_format_and_scores_modified_files_only()
    {
        const string Line = """
            {"repo":"o/r","pr_number":7,"title":"T","body":"B","base_commit":"abc1","changed_files":[{"filename":"a.py","status":"modified","patch":"@@"},{"filename":"new.py","status":"added","patch":"@@"},{"filename":"b.py","status":"modified"}]}
            """;

        var instance = Assert.Single(SweFeaturesReader.Parse(Line + "\n\n"));
        var array = Assert.Single(SweFeaturesReader.Parse("[" + Line + "]"));
        var bad = Assert.Throws<InvalidDataException>(() => SweFeaturesReader.Parse(Line + "\n{\"repo\":\"o/r\",\"pr_number\":8,\"title\":\"T\"}", "data.jsonl"));
        var score = FileSetScore.Of(["a.py", "c.py", "./a.py"], instance.ModifiedFiles);

        Assert.Equal(["a.py", "b.py"], instance.ModifiedFiles);
        Assert.Equal(instance.Title, array.Title);
        Assert.Equal("data.jsonl line 2: changed_files is missing.", bad.Message);
        Assert.Equal((0.5, 0.5, 0.5), (score.Precision, score.Recall, score.F1));
        Assert.Equal(0, FileSetScore.Of([], ["a.py"]).F1);
    }
}
