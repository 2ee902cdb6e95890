using SleepTime.Bench.Datasets.Memory;
using SleepTime.Bench.Judging;
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
        var graded = Grade(configuration, records);
        var arms = new List<ArmSummary>();
        var correctness = new Dictionary<string, Dictionary<string, bool>>(StringComparer.Ordinal);
        foreach (var arm in graded)
        {
            var parsed = Arm.Parse(arm.Name);
            var questions = arm.Questions;
            var paperCorrect = questions.Select(q => q.Paper).ToList();
            var numericCorrect = questions.Select(q => q.Numeric).ToList();
            correctness[arm.Name] = questions.ToDictionary(q => q.QuestionId, q => primary == GradingMode.Paper ? q.Paper : q.Numeric, StringComparer.Ordinal);
            var contexts = questions.Select(q => q.ContextId).Distinct(StringComparer.Ordinal).Count();
            var clustered = questions.GroupBy(q => q.ContextId, StringComparer.Ordinal).Any(g => g.Count() > 1);
            var testOut = questions.Count == 0 ? double.NaN : questions.Average(q => (double)q.OutputTokens);
            var testIn = questions.Count == 0 ? double.NaN : questions.Average(q => (double)q.InputTokens);
            var sleepOut = contexts == 0 ? 0 : arm.Sleeps.Sum(s => (double)s.Usage.Output) / contexts;
            var sleepIn = contexts == 0 ? 0 : arm.Sleeps.Sum(s => (double)s.Usage.Input) / contexts;
            arms.Add(new ArmSummary(
                parsed.Name,
                parsed.Family,
                parsed.Kind.ToString(),
                parsed.Verbosity,
                parsed.Effort?.ToString().ToLowerInvariant(),
                parsed.SleepRuns,
                questions.Count,
                contexts,
                arm.FailedCalls,
                Mean(paperCorrect),
                Interval(questions, q => q.Paper, clustered, bootstrapSeed),
                Mean(numericCorrect),
                Interval(questions, q => q.Numeric, clustered, bootstrapSeed),
                testOut,
                testIn,
                sleepOut,
                sleepIn,
                contexts == 0 ? 0 : (double)questions.Count / contexts,
                Amortization.Costs(testOut, sleepOut, configuration.PriceRatio))
            {
                ExcludedQuestions = arm.ExcludedQuestions,
                FailedSleeps = arm.FailedSleeps,
                IntervalUnit = clustered ? "context" : "question",
                F1 = questions.Count > 0 && questions.All(q => q.F1 is not null) ? questions.Average(q => q.F1!.Value) : null,
                AccuracySource = MemoryKinds.IsMemory(configuration.DatasetKind) ? (configuration.JudgeModel is null ? "contains reference" : "judge") : null,
                Categories = questions.Where(q => q.Category is not null).GroupBy(q => q.Category!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new CategorySummary(g.Key, g.Count(), g.Average(q => q.Paper ? 1.0 : 0), Interval(g.ToList(), q => q.Paper, clustered, bootstrapSeed), g.Average(q => q.F1 ?? 0)))
                    .ToList(),
            });
        }

        double Accuracy(ArmSummary a) => primary == GradingMode.Paper ? a.AccuracyPaper : a.AccuracyNumeric;

        // An arm with no graded question (every sleep it needed failed) has no point to put on a frontier.
        var frontiers = arms.GroupBy(a => a.Family, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => ParetoFrontier.Of(g.Where(a => a.Questions > 0).Select(a => new CurvePoint(a.Name, a.AvgTestOutputTokens, Accuracy(a)))), StringComparer.Ordinal);

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
            .Select(a => new KScalingPoint(ScalingSeries(a), a.SleepRuns, Accuracy(a), a.AvgSleepOutputTokensPerContext, a.AvgTestOutputTokens) { Arm = a.Name })
            .OrderBy(p => p.Budget, StringComparer.Ordinal).ThenBy(p => p.K)
            .ToList();

        bool PrimaryCorrect(GradedQuestion q) => primary == GradingMode.Paper ? q.Paper : q.Numeric;
        var byName = graded.ToDictionary(g => g.Name, StringComparer.Ordinal);
        var paired = arms.Where(a => a.Kind is nameof(ArmKind.SleepTime))
            .Select(a => (Sleep: a, Baseline: arms.FirstOrDefault(b => b.Kind == nameof(ArmKind.Baseline) && b.Verbosity == a.Verbosity && b.Effort == a.Effort)))
            .Where(p => p.Baseline is not null)
            .Select(p => PairedComparison.Of(p.Sleep.Name, byName[p.Sleep.Name].Questions, p.Baseline!.Name, byName[p.Baseline.Name].Questions, PrimaryCorrect, bootstrapSeed))
            .ToList();
        var maxQueries = Math.Max(10, (int)Math.Ceiling(arms.Select(a => a.QueriesPerContext).DefaultIfEmpty(0).Max()));
        IAnswerGrader? grader = MemoryKinds.IsMemory(configuration.DatasetKind) ? null : AnswerGraders.For(configuration.DatasetKind.ToLowerInvariant(), primary);
        var gradedIds = graded.ToDictionary(g => g.Name, g => g.Questions.Select(q => q.QuestionId).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var passCurves = records.OfType<AnswerRecord>().GroupBy(a => a.Key).Select(g => g.Last())
            .Where(a => a.Arm.StartsWith("pass:", StringComparison.Ordinal) && gradedIds.TryGetValue(a.Arm, out var kept) && kept.Contains(a.QuestionId))
            .GroupBy(a => a.Arm, StringComparer.Ordinal)
            .SelectMany(g => PassAtK.Curve(g.Key, g, a => grader is null ? MemoryCorrect(a) : Correct(grader, a)))
            .ToList();
        return new BenchSummary(configuration, primary.ToString(), arms, frontiers, reductions, kScaling, Predictability(arms, correctness, questionLogProbs))
        {
            Paired = paired,
            MatchedAmortization = MatchedAmortization.For(reductions, arms, configuration.PriceRatio, maxQueries),
            PassCurves = passCurves,
        };
    }

    /// <summary>One k-scaling curve per test budget, sleep effort and test input, so arms differing in any of them never share a curve.</summary>
    private static string ScalingSeries(ArmSummary summary)
    {
        var arm = Arm.Parse(summary.Name);
        return (arm.Effort is { } effort ? $"effort={effort.ToString().ToLowerInvariant()}" : $"v={arm.Verbosity}")
            + (arm.SleepEffort is { } sleepEffort ? $", sleep-effort={sleepEffort.ToString().ToLowerInvariant()}" : string.Empty)
            + (arm.LearnedOnly ? ", learned only" : string.Empty)
            + (arm.MaxOutputTokens is { } max ? $", max-tokens={max}" : string.Empty);
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

    /// <summary>
    /// Every arm's questions graded in both modes, in the configuration's arm order. A question's samples are right
    /// when any sample is right (pass@k) and its tokens are summed over samples. Answers left out because their
    /// sleep failed are not graded: they are counted as excluded, with the failed sleeps behind them; a failed
    /// model call is graded wrong and counted.
    /// </summary>
    public static IReadOnlyList<GradedArm> Grade(RunConfiguration configuration, IReadOnlyList<ResultRecord> records)
    {
        var kind = configuration.DatasetKind.ToLowerInvariant();
        var memory = MemoryKinds.IsMemory(kind);
        var paper = memory ? null : AnswerGraders.For(kind, GradingMode.Paper);
        var numeric = memory ? null : AnswerGraders.For(kind, GradingMode.Numeric);
        var sleeps = records.OfType<SleepRecord>().GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var answers = records.OfType<AnswerRecord>().GroupBy(a => a.Key).Select(g => g.Last()).ToList();
        var order = configuration.Arms.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var result = new List<GradedArm>();
        foreach (var group in answers.GroupBy(a => a.Arm).OrderBy(g => order.TryGetValue(g.Key, out var i) ? i : int.MaxValue).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            bool SleepFailed(AnswerRecord a) => a.Excluded is not null || (a.SleepKey is { } key && sleeps.TryGetValue(key, out var s) && !s.Succeeded);
            var questions = new List<GradedQuestion>();
            var excluded = 0;
            foreach (var question in group.GroupBy(a => a.QuestionId, StringComparer.Ordinal))
            {
                if (question.Any(SleepFailed))
                {
                    excluded++;
                    continue;
                }

                if (memory)
                {
                    var right = question.Any(MemoryCorrect);
                    questions.Add(new GradedQuestion(question.Key, question.First().ContextId, right, right, question.Sum(a => a.Usage.Output), question.Sum(a => a.Usage.Input))
                    {
                        Category = question.First().Category,
                        F1 = question.Max(a => a.Reply is { } reply && a.Error is null ? TokenF1.Score(reply, a.Expected, a.Category) : 0),
                    });
                    continue;
                }

                questions.Add(new GradedQuestion(
                    question.Key,
                    question.First().ContextId,
                    question.Any(a => Correct(paper!, a)),
                    question.Any(a => Correct(numeric!, a)),
                    question.Sum(a => a.Usage.Output),
                    question.Sum(a => a.Usage.Input)));
            }

            var used = group.Select(a => a.SleepKey).Where(k => k is not null).Distinct(StringComparer.Ordinal)
                .Select(k => sleeps.GetValueOrDefault(k!)).OfType<SleepRecord>().ToList();
            result.Add(new GradedArm(
                group.Key,
                questions,
                excluded,
                group.Count(a => !SleepFailed(a) && (a.Reply is null || a.Error is not null)),
                used.Count(s => !s.Succeeded),
                used.Where(s => s.Succeeded).ToList()));
        }

        return result;
    }

    /// <summary>
    /// A memory-benchmark answer is right by the judge's verdict when one was given; without a judge, when the reply
    /// contains the reference (case and punctuation aside), or, for LoCoMo's adversarial questions, says the
    /// conversation does not tell.
    /// </summary>
    private static bool MemoryCorrect(AnswerRecord answer)
    {
        if (answer.Reply is not { } reply || answer.Error is not null)
        {
            return false;
        }

        if (answer.Judged is { } verdict)
        {
            return verdict;
        }

        if (answer.Category == "adversarial")
        {
            return TokenF1.SaysNotMentioned(reply);
        }

        var expected = string.Join(' ', TokenF1.Tokens(answer.Expected));
        return expected.Length > 0 && $" {string.Join(' ', TokenF1.Tokens(reply))} ".Contains($" {expected} ", StringComparison.Ordinal);
    }

    private static Interval Interval(IReadOnlyList<GradedQuestion> questions, Func<GradedQuestion, bool> correct, bool clustered, int seed) => clustered
        ? Bootstrap.ClusterAccuracyInterval(questions.GroupBy(q => q.ContextId, StringComparer.Ordinal).Select(g => (IReadOnlyList<bool>)g.Select(correct).ToList()).ToList(), seed: seed)
        : Bootstrap.AccuracyInterval(questions.Select(correct).ToList(), seed: seed);

    private static bool Correct(IAnswerGrader grader, AnswerRecord answer) =>
        answer.Reply is { } reply && answer.Error is null && grader.Grade(reply, answer.Expected).IsCorrect;

    private static double Mean(IReadOnlyList<bool> values) => values.Count == 0 ? double.NaN : values.Average(v => v ? 1.0 : 0);
}
