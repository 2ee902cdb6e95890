using SleepTime.Bench.Metrics;
using SleepTime.Bench.Predictability;
using SleepTime.Bench.Running;
using SleepTime.Grading;

namespace SleepTime.Bench.Reports;

/// <summary>Analyzes a results folder and writes summary.json, report.md, report.html and plots/ into it.</summary>
public static class ReportWriter
{
    public static BenchSummary Write(string folder, GradingMode primary = GradingMode.Paper, PlotSize? plotSize = null)
    {
        var configuration = RunConfiguration.TryLoad(folder)
            ?? throw new FileNotFoundException($"{folder} holds no {RunConfiguration.FileName}; is it a `sleeptime bench run` output folder?");
        var records = ResultsStore.ReadAll(Path.Combine(folder, ResultsStore.FileName));
        var predictabilityPath = Path.Combine(folder, PredictabilityFile.FileName);
        var logProbs = File.Exists(predictabilityPath) ? PredictabilityFile.Read(predictabilityPath) : null;

        var summary = RunAnalysis.Analyze(configuration, records, logProbs, primary, configuration.Seed);
        SummaryFile.Write(summary, folder);
        var plots = BenchPlots.RenderAll(summary, Path.Combine(folder, "plots"), plotSize);
        var markdown = MarkdownReport.Render(summary, plots);
        File.WriteAllText(Path.Combine(folder, MarkdownReport.FileName), markdown);
        File.WriteAllText(Path.Combine(folder, HtmlReport.FileName), HtmlReport.Render(markdown));
        return summary;
    }
}
