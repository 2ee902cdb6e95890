using SleepTime.Bench.Metrics;
using SleepTime.Bench.Reports;
using SleepTime.Bench.Running;
using SleepTime.Bench.Tests.Metrics;
using SleepTime.Bench.Tests.Support;

namespace SleepTime.Bench.Tests.Reports;

public sealed class ReportTests
{
    [Fact]
    public void Plots_render_to_non_empty_png_and_svg_of_the_requested_size()
    {
        using var temp = new TempFolder();
        var summary = Summary(withPredictability: true);

        var files = BenchPlots.RenderAll(summary, temp.Path, new PlotSize(640, 400));

        Assert.Equal(10, files.Count);   // accuracy, k-scaling, sleep-compute, amortized, predictability × PNG and SVG
        foreach (var png in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
        {
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 1000, $"{png} is only {bytes.Length} bytes");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
            Assert.Equal(640, BigEndian(bytes, 16));
            Assert.Equal(400, BigEndian(bytes, 20));
        }

        foreach (var svg in files.Where(f => f.EndsWith(".svg", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(svg);
            Assert.Contains("<svg", text, StringComparison.Ordinal);
            Assert.Contains("width=\"640\"", text, StringComparison.Ordinal);
            Assert.Contains("height=\"400\"", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Report_and_summary_round_trip_and_compare_lines_up_arms()
    {
        using var temp = new TempFolder();
        var summary = Summary(withPredictability: false);

        var markdown = MarkdownReport.Render(summary, [Path.Combine(temp.Path, "accuracy-vs-tokens.png")]);
        var read = SummaryFile.Read(SummaryFile.Write(summary, temp.Path));
        var comparison = MarkdownReport.Compare(summary, "A", read, "B");

        Assert.Contains("| `sleep:k=1,v=0` |", markdown, StringComparison.Ordinal);
        Assert.Contains("## Test-time token reduction at equal accuracy", markdown, StringComparison.Ordinal);
        Assert.Contains("![accuracy-vs-tokens](plots/accuracy-vs-tokens.png)", markdown, StringComparison.Ordinal);
        Assert.Equal(summary.Arms.Select(a => a.AccuracyPaper), read.Arms.Select(a => a.AccuracyPaper));
        Assert.Contains("| `baseline:v=0` | 0.0% | 0.0% | 0 |", comparison, StringComparison.Ordinal);
    }

    [Fact]
    public void Sixteen_series_get_sixteen_distinct_colours_each_with_a_marker()
    {
        var styles = Enumerable.Range(0, PlotStyles.Distinct).Select(PlotStyles.For).ToList();

        Assert.Equal(16, styles.Select(s => s.Color).Distinct().Count());
        Assert.Equal(16, styles.Distinct().Count());
    }

    [Fact]
    public void The_html_report_shows_every_figure_and_every_table_of_the_markdown()
    {
        using var temp = new TempFolder();
        var summary = Summary(withPredictability: true);
        var plots = BenchPlots.RenderAll(summary, temp.File("plots"));

        var markdown = MarkdownReport.Render(summary, plots);
        var html = HtmlReport.Render(markdown);

        var pngs = plots.Where(p => p.EndsWith(".png", StringComparison.Ordinal)).Select(Path.GetFileName).ToList();
        Assert.Equal(5, pngs.Count);
        Assert.All(pngs, png => Assert.Contains($"<img src=\"plots/{png}\"", html, StringComparison.Ordinal));
        var tables = markdown.Split('\n').Count(l => l.StartsWith("|---", StringComparison.Ordinal));
        Assert.Equal(tables, html.Split("<table>").Length - 1);
        Assert.Contains("<td><code>sleep:k=1,v=0</code></td>", html, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Amortized_cost_is_matched_at_the_baselines_interpolated_tokens_for_the_same_accuracy()
    {
        var records = new List<ResultRecord>();
        for (var i = 0; i < 10; i++)
        {
            records.Add(RunAnalysisTests.Answer($"q{i}", $"c{i}", "baseline:v=0", i < 4 ? "1" : "0", "1", output: 100));
            records.Add(RunAnalysisTests.Answer($"q{i}", $"c{i}", "baseline:v=3", i < 8 ? "1" : "0", "1", output: 500));
            records.Add(RunAnalysisTests.Answer($"q{i}", $"c{i}", "sleep:k=1,v=0", i < 6 ? "1" : "0", "1", output: 50, sleep: $"c{i}"));
            records.Add(RunAnalysisTests.Sleep($"c{i}", 2000));
        }

        var summary = RunAnalysis.Analyze(RunAnalysisTests.Config() with { Arms = ["baseline:v=0", "baseline:v=3", "sleep:k=1,v=0"] }, records);
        var matched = Assert.Single(summary.MatchedAmortization);

        // 60% lies halfway between the baseline's 40% (100 tokens) and 80% (500 tokens): 300 tokens.
        Assert.Equal("sleep:k=1,v=0", matched.Arm);
        Assert.Equal(300, matched.BaselineTokens, 9);
        Assert.Equal(10 * 300, matched.Points[0].Baseline, 9);
        Assert.Equal((10 * 50) + 2000, matched.Points[0].SleepTime, 9);
        Assert.Equal((10 * 50) + 200, matched.Points[9].SleepTime, 9);
        Assert.Equal(3000 / 700.0, matched.Points[9].Ratio, 9);
        Assert.Equal(2000 / (10.0 * 250), matched.BreakEvenQueries!.Value, 9);
    }

    [Fact]
    public void Pass_at_j_is_computed_for_every_j_up_to_k_from_the_stored_samples()
    {
        var records = new List<ResultRecord>
        {
            RunAnalysisTests.Answer("q1", "c1", "pass:k=3", "0", "2", output: 10, sample: 0),
            RunAnalysisTests.Answer("q1", "c1", "pass:k=3", "2", "2", output: 10, sample: 1),
            RunAnalysisTests.Answer("q1", "c1", "pass:k=3", "0", "2", output: 10, sample: 2),
            RunAnalysisTests.Answer("q2", "c2", "pass:k=3", "0", "5", output: 20, sample: 0),
            RunAnalysisTests.Answer("q2", "c2", "pass:k=3", "0", "5", output: 20, sample: 1),
            RunAnalysisTests.Answer("q2", "c2", "pass:k=3", "5", "5", output: 20, sample: 2),
        };

        var curve = RunAnalysis.Analyze(RunAnalysisTests.Config(), records).PassCurves;

        Assert.Equal([1, 2, 3], curve.Select(p => p.Samples));
        Assert.Equal([0.0, 0.5, 1.0], curve.Select(p => p.Accuracy));
        Assert.Equal([15.0, 30.0, 45.0], curve.Select(p => p.AvgTestOutputTokens));
    }

    [Fact]
    public void Sleep_arms_that_differ_in_sleep_effort_or_input_get_their_own_k_scaling_curves_and_plot()
    {
        using var temp = new TempFolder();
        var arms = new[] { "sleep:k=1,v=0", "sleep:k=2,v=0", "sleep:k=1,v=0,sleep-effort=high", "sleep:k=2,v=0,sleep-effort=high", "sleep:k=1,v=0,input=learned", "sleep:k=2,v=0,input=learned" };
        var records = new List<ResultRecord>();
        for (var i = 0; i < 6; i++)
        {
            records.AddRange(arms.Select(arm => RunAnalysisTests.Answer($"q{i}", $"c{i}", arm, "1", "1", output: 10)));
        }

        var summary = RunAnalysis.Analyze(RunAnalysisTests.Config() with { Arms = arms }, records);
        var files = BenchPlots.RenderAll(summary, temp.Path);

        Assert.Equal(["v=0", "v=0, learned only", "v=0, sleep-effort=high"], summary.KScaling.Select(p => p.Budget).Distinct().Order(StringComparer.Ordinal));
        Assert.All(summary.KScaling.GroupBy(p => p.Budget), g => Assert.Equal([1, 2], g.Select(p => p.K)));
        Assert.Contains(files, f => f.EndsWith("k-scaling.png", StringComparison.Ordinal));
    }

    private static BenchSummary Summary(bool withPredictability)
    {
        var records = new List<ResultRecord>();
        var logProbs = new Dictionary<string, double>();
        for (var i = 0; i < 10; i++)
        {
            records.Add(RunAnalysisTests.Answer($"q{i}", $"c{i}", "baseline:v=0", "0", "1", output: 10));
            records.Add(RunAnalysisTests.Answer($"q{i}", $"c{i}", "baseline:v=3", i < 8 ? "1" : "0", "1", output: 200));
            records.Add(RunAnalysisTests.Answer($"q{i}", $"c{i}", "sleep:k=1,v=0", i >= 3 ? "1" : "0", "1", output: 20, sleep: $"c{i}"));
            records.Add(RunAnalysisTests.Answer($"q{i}", $"c{i}", "sleep:k=2,v=0", i >= 2 ? "1" : "0", "1", output: 20));
            records.Add(RunAnalysisTests.Sleep($"c{i}", 300));
            logProbs[$"q{i}"] = -i;
        }

        var config = RunAnalysisTests.Config() with { Arms = ["baseline:v=0", "baseline:v=3", "sleep:k=1,v=0", "sleep:k=2,v=0"] };
        return RunAnalysis.Analyze(config, records, withPredictability ? logProbs : null);
    }

    private static int BigEndian(byte[] bytes, int at) => (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
}
