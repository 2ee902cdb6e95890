using SleepTime.Bench.Running;
using SleepTime.Grading;

namespace SleepTime.Bench.Metrics;

/// <summary>Turns stored results into metrics: grading in both modes, tokens, frontiers, reductions, amortization, predictability.</summary>
public static class RunAnalysis
{
    public static BenchSummary Analyze(
        RunConfiguration configuration,
        IReadOnlyList<ResultRecord> records,
        IReadOnlyDictionary<string, double>? questionLogProbs = null,
        GradingMode primary = GradingMode.Paper,
        int bootstrapSeed = 0)
    {
        var kind = configuration.DatasetKind.ToLowerInvariant();
        var paper = AnswerGraders.For(kind, GradingMode.Paper);
        var numeric = AnswerGraders.For(kind, GradingMode.Numeric);
        var sleeps = records.OfType<SleepRecord>().GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var answers = records.OfType<AnswerRecord>().GroupBy(a => a.Key).Select(g => g.Last()).ToList();

        var order = configuration.Arms.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var byArm = answers.GroupBy(a => a.Arm).OrderBy(g => order.TryGetValue(g.Key, out var i) ? i : int.MaxValue).ThenBy(g => g.Key, StringComparer.Ordinal);

        var arms = new List<ArmSummary>();
        var correctness = new Dictionary<string, Dictionary<string, bool>>(StringComparer.Ordinal);
        foreach (var group in byArm)
        {
            var arm = Arm.Parse(group.Key);
            var questions = group.GroupBy(a => a.QuestionId).ToList();
            var paperCorrect = questions.Select(q => q.Any(a => Correct(paper, a))).ToList();
            var numericCorrect = questions.Select(q => q.Any(a => Correct(numeric, a))).ToList();
            correctness[arm.Name] = questions.Zip(primary == GradingMode.Paper ? paperCorrect : numericCorrect).ToDictionary(p => p.First.Key, p => p.Second, StringComparer.Ordinal);

            var contexts = group.Select(a => a.ContextId).Distinct(StringComparer.Ordinal).Count();
            var usedSleeps = group.Select(a => a.SleepKey).Where(k => k is not null).Distinct(StringComparer.Ordinal)
                .Select(k => sleeps.GetValueOrDefault(k!)).Where(s => s is not null).ToList();
            var testOut = questions.Average(q => (double)q.Sum(a => a.Usage.Output));
            var testIn = questions.Average(q => (double)q.Sum(a => a.Usage.Input));
            var sleepOut = contexts == 0 ? 0 : usedSleeps.Sum(s => (double)s!.Usage.Output) / contexts;
            var sleepIn = contexts == 0 ? 0 : usedSleeps.Sum(s => (double)s!.Usage.Input) / contexts;

            arms.Add(new ArmSummary(
                arm.Name,
                arm.Family,
                arm.Kind.ToString(),
                arm.Verbosity,
                arm.Effort?.ToString().ToLowerInvariant(),
                arm.SleepRuns,
                questions.Count,
                contexts,
                group.Count(a => a.Reply is null || a.Error is not null),
                Mean(paperCorrect),
                Bootstrap.AccuracyInterval(paperCorrect, seed: bootstrapSeed),
                Mean(numericCorrect),
                Bootstrap.AccuracyInterval(numericCorrect, seed: bootstrapSeed),
                testOut,
                testIn,
                sleepOut,
                sleepIn,
                contexts == 0 ? 0 : (double)questions.Count / contexts,
                Amortization.Costs(testOut, sleepOut, configuration.PriceRatio)));
        }

        double Accuracy(ArmSummary a) => primary == GradingMode.Paper ? a.AccuracyPaper : a.AccuracyNumeric;

        var frontiers = arms.GroupBy(a => a.Family, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => ParetoFrontier.Of(g.Select(a => new CurvePoint(a.Name, a.AvgTestOutputTokens, Accuracy(a)))), StringComparer.Ordinal);

        var reductions = new List<FamilyReduction>();
        foreach (var (referenceFamily, candidateKind) in new[] { ("baseline", nameof(ArmKind.SleepTime)), ("baseline (effort)", nameof(ArmKind.SleepTime)) })
        {
            if (!frontiers.TryGetValue(referenceFamily, out var reference))
            {
                continue;
            }

            var effortAxis = referenceFamily.EndsWith("(effort)", StringComparison.Ordinal);
            foreach (var family in arms.Where(a => a.Kind == candidateKind && (a.Effort is not null) == effortAxis).Select(a => a.Family).Distinct(StringComparer.Ordinal))
            {
                reductions.Add(new FamilyReduction(family, referenceFamily, TokenReduction.AtEqualAccuracy(reference, frontiers[family])));
            }
        }

        var kScaling = arms.Where(a => a.Kind == nameof(ArmKind.SleepTime))
            .Select(a => new KScalingPoint(a.Effort is null ? $"v={a.Verbosity}" : $"effort={a.Effort}", a.SleepRuns, Accuracy(a), a.AvgSleepOutputTokensPerContext, a.AvgTestOutputTokens))
            .OrderBy(p => p.Budget, StringComparer.Ordinal).ThenBy(p => p.K)
            .ToList();

        return new BenchSummary(configuration, primary.ToString(), arms, frontiers, reductions, kScaling, Predictability(arms, correctness, questionLogProbs));
    }

    private static PredictabilitySummary? Predictability(List<ArmSummary> arms, Dictionary<string, Dictionary<string, bool>> correctness, IReadOnlyDictionary<string, double>? logProbs)
    {
        if (logProbs is null || logProbs.Count == 0)
        {
            return null;
        }

        // The paper compares sleep-time compute with the baseline at the same (lowest) test budget.
        var sleep = arms.Where(a => a.Kind == nameof(ArmKind.SleepTime)).OrderBy(a => a.SleepRuns).ThenBy(a => a.Verbosity).FirstOrDefault();
        var baseline = sleep is null ? null : arms.FirstOrDefault(a => a.Kind == nameof(ArmKind.Baseline) && a.Verbosity == sleep.Verbosity && a.Effort == sleep.Effort);
        if (sleep is null || baseline is null)
        {
            return null;
        }

        var a = correctness[sleep.Name];
        var b = correctness[baseline.Name];
        var items = logProbs.Where(p => a.ContainsKey(p.Key) && b.ContainsKey(p.Key)).Select(p => (p.Value, a[p.Key], b[p.Key])).ToList();
        return items.Count == 0 ? null : new PredictabilitySummary(sleep.Name, baseline.Name, Quintiles.AccuracyGap(items));
    }

    private static bool Correct(IAnswerGrader grader, AnswerRecord answer) =>
        answer.Reply is { } reply && answer.Error is null && grader.Grade(reply, answer.Expected).IsCorrect;

    private static double Mean(IReadOnlyList<bool> values) => values.Count == 0 ? double.NaN : values.Average(v => v ? 1.0 : 0);
}
