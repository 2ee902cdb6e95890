using ScottPlot;
using SleepTime.Bench.Metrics;

namespace SleepTime.Bench.Reports;

/// <summary>
/// The paper's figures drawn from a summary with ScottPlot, each saved as PNG and SVG: accuracy against average
/// test-time output tokens per arm family (Fig. 3/4), accuracy against k (sleep scaling), amortized cost per query
/// against queries per context, and the sleep-time minus baseline accuracy gap per predictability quintile.
/// </summary>
public static class BenchPlots
{
    public static IReadOnlyList<string> RenderAll(BenchSummary summary, string folder, PlotSize? size = null)
    {
        size ??= new PlotSize();
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        files.AddRange(Save(AccuracyVsTokens(summary), folder, "accuracy-vs-tokens", size));
        if (summary.KScaling.Select(p => p.K).Distinct().Count() > 1)
        {
            files.AddRange(Save(KScaling(summary), folder, "k-scaling", size));
        }

        files.AddRange(Save(AmortizedCost(summary), folder, "amortized-cost", size));
        if (summary.Predictability is not null)
        {
            files.AddRange(Save(PredictabilityGap(summary.Predictability), folder, "predictability", size));
        }

        return files;
    }

    public static Plot AccuracyVsTokens(BenchSummary summary)
    {
        var plot = new Plot();
        foreach (var family in summary.Arms.GroupBy(a => a.Family))
        {
            var points = family.OrderBy(a => a.AvgTestOutputTokens).ToList();
            var scatter = plot.Add.Scatter(points.Select(a => a.AvgTestOutputTokens).ToArray(), points.Select(a => Accuracy(summary, a) * 100).ToArray());
            scatter.LegendText = family.Key;
            scatter.MarkerSize = 8;
        }

        return Finish(plot, "Accuracy vs. test-time compute", "Avg. test-time output tokens per question", $"Accuracy (%, {summary.GradingMode} grading)");
    }

    public static Plot KScaling(BenchSummary summary)
    {
        var plot = new Plot();
        foreach (var budget in summary.KScaling.GroupBy(p => p.Budget))
        {
            var points = budget.OrderBy(p => p.K).ToList();
            var scatter = plot.Add.Scatter(points.Select(p => (double)p.K).ToArray(), points.Select(p => p.Accuracy * 100).ToArray());
            scatter.LegendText = "sleep-time, test " + budget.Key;
            scatter.MarkerSize = 8;
        }

        return Finish(plot, "Scaling sleep-time compute (k parallel sleep runs)", "k", "Accuracy (%)");
    }

    public static Plot AmortizedCost(BenchSummary summary)
    {
        var plot = new Plot();
        foreach (var arm in summary.Arms)
        {
            var scatter = plot.Add.Scatter(arm.Amortized.Select(c => (double)c.QueriesPerContext).ToArray(), arm.Amortized.Select(c => c.CostPerQuery).ToArray());
            scatter.LegendText = arm.Name;
            scatter.MarkerSize = 6;
        }

        return Finish(plot, $"Amortized cost per query (t = {summary.Configuration.PriceRatio})", "Queries per context", "Cost per query (sleep-token units)");
    }

    public static Plot PredictabilityGap(PredictabilitySummary predictability)
    {
        var plot = new Plot();
        var bins = predictability.Bins.Where(b => b.Count > 0).ToList();
        var bars = plot.Add.Bars(bins.Select(b => (double)(b.Index + 1)).ToArray(), bins.Select(b => b.Gap * 100).ToArray());
        bars.LegendText = $"{predictability.ArmA} minus {predictability.ArmB}";
        return Finish(plot, "Accuracy gap by question predictability", "Quintile of log P(question | context) (1 = least predictable)", "Accuracy gap (points)");
    }

    private static Plot Finish(Plot plot, string title, string x, string y)
    {
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static double Accuracy(BenchSummary summary, ArmSummary arm) =>
        summary.GradingMode == nameof(Grading.GradingMode.Numeric) ? arm.AccuracyNumeric : arm.AccuracyPaper;

    private static IEnumerable<string> Save(Plot plot, string folder, string name, PlotSize size)
    {
        var png = Path.Combine(folder, name + ".png");
        var svg = Path.Combine(folder, name + ".svg");
        plot.SavePng(png, size.Width, size.Height);
        plot.SaveSvg(svg, size.Width, size.Height);
        return [png, svg];
    }
}
