using ScottPlot;
using SleepTime.Bench.Metrics;

namespace SleepTime.Bench.Reports;

/// <summary>
/// The paper's figures drawn from a summary with ScottPlot, each saved as PNG and SVG: accuracy against average
/// test-time output tokens per arm family with 95% error bars and the Pareto frontier as the line (Fig. 3/4);
/// accuracy against k and against sleep-time tokens per context (sleep scaling by k and by sleep effort, Fig. 6/7);
/// amortized cost per query against queries per context at matched
/// accuracy; pass@k against sleep-time compute at equal test tokens (Fig. 5); and the sleep-time minus baseline
/// accuracy gap per predictability quintile (Fig. 10). Legends sit outside the data; counts get integer ticks.
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

        if (SleepSettings(summary).Any(g => g.Count() > 1))
        {
            files.AddRange(Save(SleepCompute(summary), folder, "sleep-compute", size));
        }

        files.AddRange(Save(AmortizedCost(summary), folder, "amortized-cost", size));
        if (summary.PassCurves.Count > 0)
        {
            files.AddRange(Save(PassVsSleep(summary), folder, "pass-at-k", size));
        }

        if (summary.Predictability is not null)
        {
            files.AddRange(Save(PredictabilityGap(summary.Predictability), folder, "predictability", size));
        }

        return files;
    }

    public static Plot AccuracyVsTokens(BenchSummary summary)
    {
        var plot = new Plot();
        foreach (var family in summary.Arms.Where(a => !double.IsNaN(a.AvgTestOutputTokens)).GroupBy(a => a.Family))
        {
            var style = StyleOf(summary, family.Key);
            var points = family.OrderBy(a => a.AvgTestOutputTokens).ToList();
            AddPointsWithErrors(plot, points.Select(a => a.AvgTestOutputTokens).ToArray(), points.Select(a => Ci(summary, a)).ToList(), points.Select(a => Accuracy(summary, a) * 100).ToArray(), style);
            var frontier = summary.Frontiers.TryGetValue(family.Key, out var f) ? f : [];
            var line = plot.Add.Scatter(frontier.Select(p => p.Tokens).ToArray(), frontier.Select(p => p.Accuracy * 100).ToArray(), style.Color);
            line.MarkerShape = style.Marker;
            line.MarkerSize = 9;
            line.LineWidth = 2;
            line.LegendText = family.Key;
        }

        return Finish(plot, "Accuracy vs. test-time compute (line: Pareto frontier; bars: 95% CI)", "Avg. test-time output tokens per question (tokens)", $"Accuracy (%, {summary.GradingMode} grading)");
    }

    public static Plot KScaling(BenchSummary summary)
    {
        var plot = new Plot();
        var index = 0;
        var arms = summary.Arms.ToDictionary(a => a.Name, StringComparer.Ordinal);
        // k-scaling series are test budgets, not families: they take the styles in their own order.
        foreach (var budget in summary.KScaling.GroupBy(p => p.Budget))
        {
            var style = PlotStyles.For(index++);
            var points = budget.OrderBy(p => p.K).ToList();
            var cis = points.Select(p => p.Arm is { } name && arms.TryGetValue(name, out var a) ? Ci(summary, a) : new Interval(double.NaN, double.NaN)).ToList();
            AddPointsWithErrors(plot, points.Select(p => (double)p.K).ToArray(), cis, points.Select(p => p.Accuracy * 100).ToArray(), style);
            var line = plot.Add.Scatter(points.Select(p => (double)p.K).ToArray(), points.Select(p => p.Accuracy * 100).ToArray(), style.Color);
            line.MarkerShape = style.Marker;
            line.MarkerSize = 9;
            line.LegendText = "sleep-time, test " + budget.Key;
        }

        IntegerTicks(plot.Axes.Bottom, summary.KScaling.Select(p => p.K).Distinct().Order().Select(k => (double)k));
        return Finish(plot, "Scaling sleep-time compute (bars: 95% CI)", "k (parallel sleep runs)", "Accuracy (%)");
    }

    /// <summary>
    /// Accuracy against sleep-time compute spent per context, one curve per test budget, whatever bought the compute
    /// (more parallel runs k or a higher sleep reasoning effort): the paper's Fig. 6 and 7 on one axis.
    /// </summary>
    public static Plot SleepCompute(BenchSummary summary)
    {
        var plot = new Plot();
        var index = 0;
        foreach (var budget in SleepSettings(summary).Where(g => g.Count() > 1))
        {
            var style = PlotStyles.For(index++);
            var points = budget.OrderBy(a => a.AvgSleepOutputTokensPerContext).ToList();
            var xs = points.Select(a => a.AvgSleepOutputTokensPerContext).ToArray();
            var ys = points.Select(a => Accuracy(summary, a) * 100).ToArray();
            AddPointsWithErrors(plot, xs, points.Select(a => Ci(summary, a)).ToList(), ys, style);
            var line = plot.Add.Scatter(xs, ys, style.Color);
            line.MarkerShape = style.Marker;
            line.MarkerSize = 9;
            line.LegendText = $"sleep-time, test {budget.Key}";
        }

        return Finish(plot, "Scaling sleep-time compute: k and sleep effort (bars: 95% CI)", "Avg. sleep-time output tokens per context (tokens)", "Accuracy (%)");
    }

    /// <summary>Sleep-time arms with graded questions, grouped by what the test phase did (budget and input).</summary>
    private static IEnumerable<IGrouping<string, ArmSummary>> SleepSettings(BenchSummary summary) =>
        summary.Arms.Where(a => a.Kind == nameof(Running.ArmKind.SleepTime) && a.Questions > 0)
            .GroupBy(a =>
            {
                var arm = Running.Arm.Parse(a.Name);
                return (arm.Effort is { } e ? $"effort={e.ToString().ToLowerInvariant()}" : $"v={arm.Verbosity}") + (arm.LearnedOnly ? ", learned only" : string.Empty);
            });

    public static Plot AmortizedCost(BenchSummary summary)
    {
        var plot = new Plot();
        foreach (var matched in summary.MatchedAmortization)
        {
            var style = StyleOf(summary, matched.Family);
            var xs = matched.Points.Select(p => (double)p.Queries).ToArray();
            var sleep = plot.Add.Scatter(xs, matched.Points.Select(p => p.SleepTime).ToArray(), style.Color);
            sleep.MarkerShape = style.Marker;
            sleep.MarkerSize = 7;
            sleep.LineWidth = 2;
            sleep.LegendText = $"{matched.Arm} at {matched.Accuracy * 100:0.#}%";
        }

        // One dashed line per distinct baseline cost: families matched at the same accuracy share it.
        foreach (var group in summary.MatchedAmortization.GroupBy(m => (Math.Round(m.Accuracy, 6), Math.Round(m.BaselineTokens, 6))))
        {
            var matched = group.First();
            var baseline = plot.Add.Scatter(matched.Points.Select(p => (double)p.Queries).ToArray(), matched.Points.Select(p => p.Baseline).ToArray(), StyleOf(summary, matched.Family).Color);
            baseline.MarkerSize = 0;
            baseline.LineWidth = 2;
            baseline.LinePattern = LinePattern.Dashed;
            baseline.LegendText = $"baseline at {matched.Accuracy * 100:0.#}% ({string.Join(", ", group.Select(m => m.Arm))})";
        }

        if (summary.MatchedAmortization.Count == 0)
        {
            plot.Add.Annotation("No sleep-time point reaches an accuracy the baseline also reaches: nothing to match.");
        }

        var maxQueries = summary.MatchedAmortization.SelectMany(m => m.Points).Select(p => p.Queries).DefaultIfEmpty(10).Max();
        IntegerTicks(plot.Axes.Bottom, Enumerable.Range(1, maxQueries).Select(n => (double)n));
        return Finish(plot, $"Amortized cost per query at matched accuracy (t = {summary.Configuration.PriceRatio})", "Queries per context", "Cost per query (sleep-token units)");
    }

    public static Plot PassVsSleep(BenchSummary summary)
    {
        var plot = new Plot();
        foreach (var curve in summary.PassCurves.GroupBy(p => p.Arm))
        {
            var style = StyleOf(summary, "pass@k");
            var points = curve.OrderBy(p => p.Samples).ToList();
            var line = plot.Add.Scatter(points.Select(p => p.AvgTestOutputTokens).ToArray(), points.Select(p => p.Accuracy * 100).ToArray(), style.Color);
            line.MarkerShape = style.Marker;
            line.MarkerSize = 9;
            line.LegendText = $"pass@j, j = 1..{points.Count} (baseline v=0)";
        }

        foreach (var (family, frontier) in summary.Frontiers.Where(f => f.Key.StartsWith("sleep-time", StringComparison.Ordinal) || f.Key == "baseline"))
        {
            var style = StyleOf(summary, family);
            var line = plot.Add.Scatter(frontier.Select(p => p.Tokens).ToArray(), frontier.Select(p => p.Accuracy * 100).ToArray(), style.Color);
            line.MarkerShape = style.Marker;
            line.MarkerSize = 9;
            line.LegendText = family;
        }

        return Finish(plot, "pass@k vs. sleep-time compute at equal test-time tokens", "Avg. test-time output tokens per question, all samples (tokens)", "Accuracy (%)");
    }

    public static Plot PredictabilityGap(PredictabilitySummary predictability)
    {
        var plot = new Plot();
        var bins = predictability.Bins.Where(b => b.Count > 0).ToList();
        var bars = plot.Add.Bars(bins.Select(b => (double)(b.Index + 1)).ToArray(), bins.Select(b => b.Gap * 100).ToArray());
        bars.Color = PlotStyles.For(0).Color;
        bars.LegendText = $"{predictability.ArmA} minus {predictability.ArmB}";
        IntegerTicks(plot.Axes.Bottom, bins.Select(b => (double)(b.Index + 1)));
        return Finish(plot, "Accuracy gap by question predictability", "Quintile of log P(question | context) (1 = least predictable)", "Accuracy gap (percentage points)");
    }

    /// <summary>The same family keeps its colour and marker in every figure of a report.</summary>
    private static (Color Color, MarkerShape Marker) StyleOf(BenchSummary summary, string family)
    {
        var index = summary.Arms.Select(a => a.Family).Distinct(StringComparer.Ordinal).ToList().IndexOf(family);
        return PlotStyles.For(index < 0 ? summary.Arms.Count : index);
    }

    private static void AddPointsWithErrors(Plot plot, double[] xs, IReadOnlyList<Interval> cis, double[] ys, (Color Color, MarkerShape Marker) style)
    {
        var keep = Enumerable.Range(0, xs.Length).Where(i => !double.IsNaN(cis[i].Low) && !double.IsNaN(ys[i])).ToList();
        if (keep.Count == 0)
        {
            return;
        }

        var below = keep.Select(i => Math.Max(0, ys[i] - (cis[i].Low * 100))).ToArray();
        var errors = plot.Add.ErrorBar(keep.Select(i => xs[i]).ToArray(), keep.Select(i => ys[i]).ToArray(), below);
        errors.YErrorNegative = below;
        errors.YErrorPositive = keep.Select(i => Math.Max(0, (cis[i].High * 100) - ys[i])).ToArray();
        errors.Color = style.Color;
        errors.LineWidth = 1.5f;
        var markers = plot.Add.ScatterPoints(keep.Select(i => xs[i]).ToArray(), keep.Select(i => ys[i]).ToArray(), style.Color);
        markers.MarkerShape = style.Marker;
        markers.MarkerSize = 9;
    }

    private static void IntegerTicks(IAxis axis, IEnumerable<double> positions)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var position in positions)
        {
            ticks.AddMajor(position, position.ToString("0", System.Globalization.CultureInfo.InvariantCulture));
        }

        axis.TickGenerator = ticks;
    }

    private static Plot Finish(Plot plot, string title, string x, string y)
    {
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static double Accuracy(BenchSummary summary, ArmSummary arm) =>
        summary.GradingMode == nameof(Grading.GradingMode.Numeric) ? arm.AccuracyNumeric : arm.AccuracyPaper;

    private static Interval Ci(BenchSummary summary, ArmSummary arm) =>
        summary.GradingMode == nameof(Grading.GradingMode.Numeric) ? arm.AccuracyNumericCi : arm.AccuracyPaperCi;

    private static IEnumerable<string> Save(Plot plot, string folder, string name, PlotSize size)
    {
        var png = Path.Combine(folder, name + ".png");
        var svg = Path.Combine(folder, name + ".svg");
        plot.SavePng(png, size.Width, size.Height);
        plot.SaveSvg(svg, size.Width, size.Height);
        return [png, svg];
    }
}
