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

        Assert.Equal(8, files.Count);   // accuracy, k-scaling, amortized, predictability × PNG and SVG
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
