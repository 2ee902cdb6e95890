using SleepTime.Bench.Running;

namespace SleepTime.Bench.Metrics;

/// <summary>The metrics of one arm.</summary>
public sealed record ArmSummary(
    string Name,
    string Family,
    string Kind,
    int Verbosity,
    string? Effort,
    int SleepRuns,
    int Questions,
    int Contexts,
    int Failures,
    double AccuracyPaper,
    Interval AccuracyPaperCi,
    double AccuracyNumeric,
    Interval AccuracyNumericCi,
    double AvgTestOutputTokens,
    double AvgTestInputTokens,
    double AvgSleepOutputTokensPerContext,
    double AvgSleepInputTokensPerContext,
    double QueriesPerContext,
    IReadOnlyList<AmortizedCost> Amortized)
{
    /// <summary>Questions left out because the sleep they needed failed (never graded as sleep-time answers).</summary>
    public int ExcludedQuestions { get; init; }

    /// <summary>Sleeps this arm needed that failed.</summary>
    public int FailedSleeps { get; init; }

    /// <summary>What the bootstrap resampled: "context" (a cluster bootstrap, contexts hold several questions) or "question".</summary>
    public string IntervalUnit { get; init; } = "question";

    /// <summary>Memory benchmarks: mean token F1 over the graded questions; null for the math sets.</summary>
    public double? F1 { get; init; }

    /// <summary>Memory benchmarks: what "correct" means, "judge" (a model's verdict) or "contains reference" (no judge was given).</summary>
    public string? AccuracySource { get; init; }

    /// <summary>Memory benchmarks: accuracy and F1 per category.</summary>
    public IReadOnlyList<CategorySummary> Categories { get; init; } = [];
}

/// <summary>One question of one arm, graded in both modes, with its tokens summed over samples.</summary>
public sealed record GradedQuestion(string QuestionId, string ContextId, bool Paper, bool Numeric, long OutputTokens, long InputTokens)
{
    /// <summary>The benchmark's category of the question (memory benchmarks).</summary>
    public string? Category { get; init; }

    /// <summary>LoCoMo-style token F1 of the best sample (memory benchmarks).</summary>
    public double? F1 { get; init; }
}

/// <summary>An arm's metrics on one category of questions (LongMemEval question type, LoCoMo category).</summary>
public sealed record CategorySummary(string Category, int Questions, double Accuracy, Interval AccuracyCi, double F1);

/// <summary>An arm's graded questions, what was left out, and the successful sleeps it used.</summary>
public sealed record GradedArm(string Name, IReadOnlyList<GradedQuestion> Questions, int ExcludedQuestions, int FailedCalls, int FailedSleeps, IReadOnlyList<SleepRecord> Sleeps);

/// <summary>The reduction in test-time tokens of one family against the baseline, at equal accuracy.</summary>
public sealed record FamilyReduction(string Family, string Reference, IReadOnlyList<ReductionAtAccuracy> Points)
{
    public double? Best => Points.Count == 0 ? null : Points.Max(p => p.Factor);
}

/// <summary>Accuracy of the sleep-time arms as the number of parallel sleep runs k grows, per test budget.</summary>
public sealed record KScalingPoint(string Budget, int K, double Accuracy, double AvgSleepOutputTokensPerContext, double AvgTestOutputTokens)
{
    /// <summary>The sleep-time arm measured at this point.</summary>
    public string? Arm { get; init; }
}

/// <summary>The predictability analysis: two arms compared per quintile of log P(question | context).</summary>
public sealed record PredictabilitySummary(string ArmA, string ArmB, IReadOnlyList<PredictabilityBin> Bins);

/// <summary>Everything <c>summary.json</c> holds; the report and the plots are drawn from it.</summary>
public sealed record BenchSummary(
    RunConfiguration Configuration,
    string GradingMode,
    IReadOnlyList<ArmSummary> Arms,
    IReadOnlyDictionary<string, IReadOnlyList<CurvePoint>> Frontiers,
    IReadOnlyList<FamilyReduction> Reductions,
    IReadOnlyList<KScalingPoint> KScaling,
    PredictabilitySummary? Predictability)
{
    /// <summary>Each sleep-time arm against the baseline at the same test budget, on the questions both answered.</summary>
    public IReadOnlyList<PairedComparison> Paired { get; init; } = [];

    /// <summary>Each sleep-time family against the baseline at matched accuracy, costed over queries per context.</summary>
    public IReadOnlyList<MatchedAmortization> MatchedAmortization { get; init; } = [];

    /// <summary>pass@j for j = 1..k of every pass@k arm.</summary>
    public IReadOnlyList<PassPoint> PassCurves { get; init; } = [];
}
