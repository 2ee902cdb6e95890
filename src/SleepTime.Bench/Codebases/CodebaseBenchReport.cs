using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;
using SleepTime.Bench.Reports;

namespace SleepTime.Bench.Codebases;

/// <summary>Writes a SWE-Features run: every answer (results.jsonl), the summary (summary.json, summary.md) and the F1-vs-test-time-tokens figure.</summary>
public static class CodebaseBenchReport
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
    private static readonly JsonSerializerOptions Line = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IReadOnlyList<string> Write(CodebaseBenchSummary summary, string folder, PlotSize? size = null)
    {
        Directory.CreateDirectory(folder);
        var results = Path.Combine(folder, "results.jsonl");
        File.WriteAllLines(results, summary.Results.Select(r => JsonSerializer.Serialize(r, Line)));
        var json = Path.Combine(folder, "summary.json");
        File.WriteAllText(json, JsonSerializer.Serialize(new { points = summary.Points, sleeps = summary.Sleeps }, Json));
        var markdown = Path.Combine(folder, "summary.md");
        File.WriteAllText(markdown, Markdown(summary));
        size ??= new PlotSize();
        var plot = F1VsTokens(summary);
        var png = Path.Combine(folder, "f1-vs-tokens.png");
        var svg = Path.Combine(folder, "f1-vs-tokens.svg");
        plot.SavePng(png, size.Width, size.Height);
        plot.SaveSvg(svg, size.Width, size.Height);
        return [results, json, markdown, png, svg];
    }

    public static string Markdown(CodebaseBenchSummary summary)
    {
        var text = new StringBuilder("# SWE-Features: files to modify\n\n| arm | max steps | tasks | precision | recall | F1 | avg. test-time tokens |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var p in summary.Points)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {p.Arm} | {p.MaxSteps} | {p.Count} | {p.Precision:0.000} | {p.Recall:0.000} | {p.F1:0.000} | {p.AvgTestTokens:0} |\n");
        }

        var slept = summary.Sleeps.Count(s => s.Succeeded);
        text.Append(CultureInfo.InvariantCulture, $"\nSleeps: {slept} of {summary.Sleeps.Count} produced a learned context");
        if (summary.Sleeps.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {summary.Sleeps.Average(s => (double)s.SleepTokens):0} sleep-time tokens and {summary.Sleeps.Average(s => (double)s.ToolCalls):0.0} tool calls per sleep on average");
        }

        text.Append(".\n");
        foreach (var failed in summary.Sleeps.Where(s => !s.Succeeded))
        {
            text.Append(CultureInfo.InvariantCulture, $"- {failed.Repo}#{failed.PrNumber}: {failed.Error}\n");
        }

        return text.ToString();
    }

    /// <summary>The paper's Fig. 11: F1 against average test-time tokens, one line per arm, a point per budget.</summary>
    public static Plot F1VsTokens(CodebaseBenchSummary summary)
    {
        var plot = new Plot();
        var index = 0;
        foreach (var arm in summary.Points.GroupBy(p => p.Arm))
        {
            var style = PlotStyles.For(index++);
            var points = arm.OrderBy(p => p.AvgTestTokens).ToList();
            var line = plot.Add.Scatter(points.Select(p => p.AvgTestTokens).ToArray(), points.Select(p => p.F1).ToArray(), style.Color);
            line.MarkerShape = style.Marker;
            line.MarkerSize = 9;
            line.LineWidth = 2;
            line.LegendText = arm.Key;
            foreach (var point in points)
            {
                var label = plot.Add.Text(point.MaxSteps.ToString(CultureInfo.InvariantCulture) + " steps", point.AvgTestTokens, point.F1);
                label.LabelFontSize = 10;
                label.LabelFontColor = style.Color;
            }
        }

        plot.Title("SWE-Features: F1 of files to modify vs. test-time compute (a point per max-steps budget)");
        plot.XLabel("Avg. test-time tokens per task (tokens)");
        plot.YLabel("F1 (modified files; added files excluded)");
        plot.ShowLegend(Edge.Right);
        return plot;
    }
}
