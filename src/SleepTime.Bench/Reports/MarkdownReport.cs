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
        md.AppendLine($"Data set `{c.Dataset}` ({c.DatasetKind}{(c.DatasetHash is { } h ? $", sha256 {h[..Math.Min(16, h.Length)]}" : string.Empty)}), seed {c.Seed}, limit {c.Limit?.ToString(CultureInfo.InvariantCulture) ?? "none"}; sleep model `{c.SleepModel}` ({c.SleepSampling}), test model `{c.TestModel}` ({c.TestSampling}); sleep prompt {c.SleepVariant}/{c.SleepMode}; prompts {c.PromptSource}; code {c.CodeVersion}; price ratio t = {Num(c.PriceRatio)}. Primary grading: {summary.GradingMode}. Intervals are 95% bootstrap intervals, resampling whole contexts where contexts hold several questions.").AppendLine();
        foreach (var warning in Warnings(summary))
        {
            md.AppendLine($"> **Warning:** {warning}").AppendLine();
        }

        md.AppendLine("## Accuracy and test-time tokens").AppendLine();
        md.AppendLine("| arm | questions graded | accuracy (paper) | accuracy (numeric) | avg test output tokens | avg test input tokens | sleep output tokens / context | failed sleeps | excluded questions | failed calls |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var a in summary.Arms)
        {
            md.AppendLine($"| `{a.Name}` | {a.Questions} | {Pct(a.AccuracyPaper)} [{Pct(a.AccuracyPaperCi.Low)}, {Pct(a.AccuracyPaperCi.High)}] | {Pct(a.AccuracyNumeric)} [{Pct(a.AccuracyNumericCi.Low)}, {Pct(a.AccuracyNumericCi.High)}] | {Num(a.AvgTestOutputTokens)} | {Num(a.AvgTestInputTokens)} | {Num(a.AvgSleepOutputTokensPerContext)} | {a.FailedSleeps} | {a.ExcludedQuestions} | {a.Failures} |");
        }

        if (summary.Arms.Any(a => a.ExcludedQuestions > 0))
        {
            md.AppendLine().AppendLine("Excluded questions belong to contexts whose sleep failed: they were not answered and are not in that arm's accuracy; rerun the same command to retry those sleeps. Failed calls are graded wrong and are retried by a rerun too.");
        }

        if (summary.Arms.Any(a => a.Categories.Count > 0))
        {
            var source = summary.Arms.First().AccuracySource == "judge"
                ? $"judged by `{c.JudgeModel}` with {c.JudgePromptSource} (sha256 {c.JudgePromptHash?[..16]})"
                : "no --judge given: an answer counts as right when it contains the reference (adversarial: says the conversation does not tell), a weak stand-in for the benchmark's judged accuracy";
            md.AppendLine().AppendLine("## Per category").AppendLine();
            md.AppendLine($"Accuracy {source}; F1 is LoCoMo's token F1 (without stemming).").AppendLine();
            md.AppendLine("| arm | category | questions | accuracy | 95% interval | token F1 |");
            md.AppendLine("|---|---|---:|---:|---|---:|");
            foreach (var a in summary.Arms)
            {
                md.AppendLine($"| `{a.Name}` | all | {a.Questions} | {Pct(a.AccuracyPaper)} | [{Pct(a.AccuracyPaperCi.Low)}, {Pct(a.AccuracyPaperCi.High)}] | {(a.F1 is { } f ? Num(f) : "–")} |");
                foreach (var category in a.Categories)
                {
                    md.AppendLine($"| `{a.Name}` | {category.Category} | {category.Questions} | {Pct(category.Accuracy)} | [{Pct(category.AccuracyCi.Low)}, {Pct(category.AccuracyCi.High)}] | {Num(category.F1)} |");
                }
            }
        }

        if (summary.Paired.Count > 0)
        {
            md.AppendLine().AppendLine("## Sleep-time against baseline at the same budget (paired)").AppendLine();
            md.AppendLine(PairedTable(summary.Paired));
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

        md.AppendLine().AppendLine($"## Amortized cost per query by arm (t = {Num(c.PriceRatio)}, in sleep-token units, at each arm's own accuracy)").AppendLine();
        var counts = summary.Arms.FirstOrDefault()?.Amortized.Select(x => x.QueriesPerContext).ToList() ?? [];
        md.AppendLine("| arm | measured queries / context | " + string.Join(" | ", counts.Select(n => $"{n} q/ctx")) + " |");
        md.AppendLine("|---|---:|" + string.Concat(counts.Select(_ => "---:|")));
        foreach (var a in summary.Arms)
        {
            md.AppendLine($"| `{a.Name}` | {Num(a.QueriesPerContext)} | " + string.Join(" | ", a.Amortized.Select(x => Num(x.CostPerQuery))) + " |");
        }

        md.AppendLine().AppendLine($"## Amortized cost per query at matched accuracy (t = {Num(c.PriceRatio)}, in sleep-token units)").AppendLine();
        if (summary.MatchedAmortization.Count == 0)
        {
            md.AppendLine("No sleep-time point reaches an accuracy inside the baseline's measured range, so no cost is matched.");
        }
        else
        {
            md.AppendLine("Each sleep-time family's most accurate point that the baseline frontier also reaches, against the baseline's tokens at that accuracy (interpolated). Baseline cost: t × tokens; sleep-time: t × test tokens + sleep tokens per context / queries.").AppendLine();
            md.AppendLine("| sleep-time arm | accuracy | baseline tokens | sleep-time test tokens | sleep tokens / context | break-even queries | cost ratio at 1 | at 10 | at max |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var m in summary.MatchedAmortization)
            {
                string RatioAt(int n) => m.Points.FirstOrDefault(p => p.Queries == n) is { } p ? Num(p.Ratio) + "×" : "–";
                md.AppendLine($"| `{m.Arm}` | {Pct(m.Accuracy)} | {Num(m.BaselineTokens)} | {Num(m.SleepTestTokens)} | {Num(m.SleepTokensPerContext)} | {(m.BreakEvenQueries is { } b ? Num(b) : "never")} | {RatioAt(1)} | {RatioAt(10)} | {Num(m.Points[^1].Ratio)}× ({m.Points[^1].Queries} q) |");
            }
        }

        if (summary.PassCurves.Count > 0)
        {
            md.AppendLine().AppendLine("## pass@k").AppendLine();
            md.AppendLine("| arm | samples j | avg test output tokens (all j samples) | pass@j |");
            md.AppendLine("|---|---:|---:|---:|");
            foreach (var p in summary.PassCurves)
            {
                md.AppendLine($"| `{p.Arm}` | {p.Samples} | {Num(p.AvgTestOutputTokens)} | {Pct(p.Accuracy)} |");
            }
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
    public static string Compare(BenchSummary a, string labelA, BenchSummary b, string labelB, IReadOnlyList<PairedComparison>? paired = null)
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

        if (paired is { Count: > 0 })
        {
            md.AppendLine().AppendLine($"## Paired: each arm in {labelA} (A) against the same arm in {labelB} (B), on the questions both answered").AppendLine();
            md.AppendLine(PairedTable(paired));
        }
        else
        {
            md.AppendLine().AppendLine("No paired comparison: give two results folders (not summary files) to pair the arms question by question.");
        }

        return md.ToString();
    }

    /// <summary>Paired differences as a Markdown table.</summary>
    public static string PairedTable(IEnumerable<PairedComparison> comparisons)
    {
        var md = new StringBuilder();
        md.AppendLine("| A | B | shared questions | accuracy A | accuracy B | A − B (pts) | 95% interval (pts) | resampled |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---|---|");
        foreach (var p in comparisons)
        {
            md.AppendLine($"| `{p.ArmA}` | `{p.ArmB}` | {p.SharedQuestions} | {Pct(p.AccuracyA)} | {Pct(p.AccuracyB)} | {Num(p.Difference * 100)} | [{Num(p.DifferenceCi.Low * 100)}, {Num(p.DifferenceCi.High * 100)}] | {p.IntervalUnit}s |");
        }

        return md.ToString();
    }

    /// <summary>What a reader must know before comparing the arms' numbers.</summary>
    public static IReadOnlyList<string> Warnings(BenchSummary summary)
    {
        var warnings = new List<string>();
        var counts = summary.Arms.GroupBy(a => a.Questions).OrderByDescending(g => g.Key).ToList();
        if (counts.Count > 1)
        {
            warnings.Add("the arms were graded on different numbers of questions (" + string.Join(", ", counts.Select(g => $"{g.Key}: {string.Join(", ", g.Select(a => $"`{a.Name}`"))}")) +
                "), e.g. after an interrupted run or failed sleeps, so their accuracies are not over the same questions; the paired comparisons below use only the questions both arms answered.");
        }

        var failedSleeps = summary.Arms.Sum(a => a.FailedSleeps);
        if (failedSleeps > 0)
        {
            warnings.Add($"{summary.Arms.Sum(a => a.ExcludedQuestions)} sleep-time question(s) were excluded because {failedSleeps} sleep(s) failed.");
        }

        return warnings;
    }

    private static string Pct(double value) => double.IsNaN(value) ? "–" : (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Num(double value) => double.IsNaN(value) ? "–" : value.ToString(Math.Abs(value) >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);
}
