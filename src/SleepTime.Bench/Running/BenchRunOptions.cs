using SleepTime.Bench.Provenance;

namespace SleepTime.Bench.Running;

/// <summary>How a run calls its models.</summary>
public sealed record BenchRunOptions
{
    /// <summary>Most model calls in flight at once (a sleep counts as one, whatever its k).</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Sampling of the sleep phase; run <c>i</c> of a k-run sleep gets seed <c>Seed + i</c>.</summary>
    public PhaseSampling SleepSampling { get; init; } = PhaseSampling.Paper;

    /// <summary>Sampling of the test phase; sample <c>i</c> of an arm gets seed <c>Seed + i</c>.</summary>
    public PhaseSampling TestSampling { get; init; } = PhaseSampling.Paper;

    public SleepPromptVariant SleepVariant { get; init; } = SleepPromptVariant.Math;

    public SleepMode SleepMode { get; init; } = SleepMode.Tools;

    public PromptSet Prompts { get; init; } = PromptSet.Default;

    /// <summary>Grades every answer with a model as it is made (the memory benchmarks); null: no judge.</summary>
    public Judging.AnswerJudge? Judge { get; init; }
}
