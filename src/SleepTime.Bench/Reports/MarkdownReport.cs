using System.Globalization;
using System.Text;
using SleepTime.Bench.Metrics;

namespace SleepTime.Bench.Reports;

/// <summary>Writes <c>report.md</c>: the run's configuration, tables of every metric, and the plots.</summary>
public static class MarkdownReport
{
    public const string FileName = "report.md";

    public static string Render(BenchSummary summary, IEnumerable<string> plotFiles)
    {
        var c = summary.Configuration;
        var md = new StringBuilder();
        md.AppendLine("# Sleep-time compute benchmark").AppendLine();
        md.AppendLine($"Data set `{c.Dataset}` ({c.DatasetKind}), seed {c.Seed}, limit {c.Limit?.ToString(CultureInfo.InvariantCulture) ?? "none"}; sleep model `{c.SleepModel}`, test model `{c.TestModel}`; sleep prompt {c.SleepVariant}/{c.SleepMode}; price ratio t = {Num(c.PriceRatio)}. Primary grading: {summary.GradingMode}. Intervals are 95% bootstrap intervals over questions.").AppendLine();

        md.AppendLine("## Accuracy and test-time tokens").AppendLine();
        md.AppendLine("| arm | questions | accuracy (paper) | accuracy (numeric) | avg test output tokens | avg test input tokens | sleep output tokens / context | failed calls |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var a in summary.Arms)
        {
            md.AppendLine($"| `{a.Name}` | {a.Questions} | {Pct(a.AccuracyPaper)} [{Pct(a.AccuracyPaperCi.Low)}, {Pct(a.AccuracyPaperCi.High)}] | {Pct(a.AccuracyNumeric)} [{Pct(a.AccuracyNumericCi.Low)}, {Pct(a.AccuracyNumericCi.High)}] | {Num(a.AvgTestOutputTokens)} | {Num(a.AvgTestInputTokens)} | {Num(a.AvgSleepOutputTokensPerContext)} | {a.Failures} |");
        }

        md.AppendLine().AppendLine("## Pareto frontiers").AppendLine();
        foreach (var (family, points) in summary.Frontiers)
        {
            md.AppendLine($"- **{family}**: " + string.Join(" → ", points.Select(p => $"`{p.Label}` ({Num(p.Tokens)} tokens, {Pct(p.Accuracy)})")));
        }

        md.AppendLine().AppendLine("## Test-time token reduction at equal accuracy").AppendLine();
        if (summary.Reductions.All(r => r.Points.Count == 0))
        {
            md.AppendLine("No sleep-time point reaches an accuracy inside the baseline's measured range, so no factor is interpolated.");
        }
        else
        {
            md.AppendLine("| family | against | accuracy | reference tokens (interpolated) | tokens | reduction |");
            md.AppendLine("|---|---|---:|---:|---:|---:|");
            foreach (var r in summary.Reductions)
            {
                foreach (var p in r.Points)
                {
                    md.AppendLine($"| {r.Family} | {r.Reference} | {Pct(p.Accuracy)} | {Num(p.ReferenceTokens)} | {Num(p.Tokens)} | {Num(p.Factor)}× |");
                }
            }
        }

        md.AppendLine().AppendLine($"## Amortized cost per query (t = {Num(c.PriceRatio)}, in sleep-token units)").AppendLine();
        var counts = summary.Arms.FirstOrDefault()?.Amortized.Select(x => x.QueriesPerContext).ToList() ?? [];
        md.AppendLine("| arm | measured queries / context | " + string.Join(" | ", counts.Select(n => $"{n} q/ctx")) + " |");
        md.AppendLine("|---|---:|" + string.Concat(counts.Select(_ => "---:|")));
        foreach (var a in summary.Arms)
        {
            md.AppendLine($"| `{a.Name}` | {Num(a.QueriesPerContext)} | " + string.Join(" | ", a.Amortized.Select(x => Num(x.CostPerQuery))) + " |");
        }

        if (summary.KScaling.Count > 0)
        {
            md.AppendLine().AppendLine("## Scaling sleep-time compute").AppendLine();
            md.AppendLine("| test budget | k | accuracy | sleep output tokens / context | avg test output tokens |");
            md.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var p in summary.KScaling)
            {
                md.AppendLine($"| {p.Budget} | {p.K} | {Pct(p.Accuracy)} | {Num(p.AvgSleepOutputTokensPerContext)} | {Num(p.AvgTestOutputTokens)} |");
            }
        }

        if (summary.Predictability is { } pred)
        {
            md.AppendLine().AppendLine("## Predictability").AppendLine();
            md.AppendLine($"Questions binned into quintiles of log P(question | context); gap = accuracy of `{pred.ArmA}` minus `{pred.ArmB}`.").AppendLine();
            md.AppendLine("| quintile | questions | log P range | accuracy A | accuracy B | gap |");
            md.AppendLine("|---:|---:|---|---:|---:|---:|");
            foreach (var b in pred.Bins)
            {
                md.AppendLine($"| {b.Index + 1} | {b.Count} | {Num(b.MinLogProb)} … {Num(b.MaxLogProb)} | {Pct(b.AccuracyA)} | {Pct(b.AccuracyB)} | {Num(b.Gap * 100)} pts |");
            }
        }

        var pngs = plotFiles.Where(f => f.EndsWith(".png", StringComparison.Ordinal)).ToList();
        if (pngs.Count > 0)
        {
            md.AppendLine().AppendLine("## Plots").AppendLine();
            foreach (var png in pngs)
            {
                var name = Path.GetFileName(png);
                md.AppendLine($"![{Path.GetFileNameWithoutExtension(name)}](plots/{name})").AppendLine();
            }
        }

        return md.ToString();
    }

    /// <summary>Two result sets side by side, matched by arm name.</summary>
    public static string Compare(BenchSummary a, string labelA, BenchSummary b, string labelB)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {labelA} vs {labelB}").AppendLine();
        md.AppendLine($"A: `{a.Configuration.Dataset}`, sleep `{a.Configuration.SleepModel}`, test `{a.Configuration.TestModel}`  ");
        md.AppendLine($"B: `{b.Configuration.Dataset}`, sleep `{b.Configuration.SleepModel}`, test `{b.Configuration.TestModel}`").AppendLine();
        md.AppendLine("| arm | accuracy A | accuracy B | Δ (pts) | test tokens A | test tokens B | tokens B / A |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var left = a.Arms.ToDictionary(x => x.Name, StringComparer.Ordinal);
        var right = b.Arms.ToDictionary(x => x.Name, StringComparer.Ordinal);
        foreach (var name in a.Arms.Select(x => x.Name).Concat(b.Arms.Select(x => x.Name)).Distinct(StringComparer.Ordinal))
        {
            var x = left.GetValueOrDefault(name);
            var y = right.GetValueOrDefault(name);
            var delta = x is not null && y is not null ? Num((y.AccuracyPaper - x.AccuracyPaper) * 100) : "–";
            var ratio = x is { AvgTestOutputTokens: > 0 } && y is not null ? Num(y.AvgTestOutputTokens / x.AvgTestOutputTokens) + "×" : "–";
            md.AppendLine($"| `{name}` | {(x is null ? "–" : Pct(x.AccuracyPaper))} | {(y is null ? "–" : Pct(y.AccuracyPaper))} | {delta} | {(x is null ? "–" : Num(x.AvgTestOutputTokens))} | {(y is null ? "–" : Num(y.AvgTestOutputTokens))} | {ratio} |");
        }

        return md.ToString();
    }

    private static string Pct(double value) => double.IsNaN(value) ? "–" : (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Num(double value) => double.IsNaN(value) ? "–" : value.ToString(Math.Abs(value) >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);
}
