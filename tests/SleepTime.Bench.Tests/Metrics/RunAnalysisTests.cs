using SleepTime.Bench.Metrics;
using SleepTime.Bench.Running;
using SleepTime.Grading;

namespace SleepTime.Bench.Tests.Metrics;

public sealed class RunAnalysisTests
{
    [Fact]
    public void Grades_in_both_modes_counts_tokens_and_amortizes_the_sleep()
    {
        var records = new List<ResultRecord>
        {
            Sleep("c1", output: 600),
            Sleep("c2", output: 400),
            Answer("c1/q1", "c1", "baseline:v=0", "The answer is 45.0", "45", output: 30),
            Answer("c1/q2", "c1", "baseline:v=0", "The answer is 12", "12", output: 50),
            Answer("c2/q1", "c2", "baseline:v=0", "no idea", "7", output: 40),
            Answer("c1/q1", "c1", "sleep:k=1,v=0", "45", "45", output: 10, sleep: "c1"),
            Answer("c1/q2", "c1", "sleep:k=1,v=0", "12", "12", output: 10, sleep: "c1"),
            Answer("c2/q1", "c2", "sleep:k=1,v=0", "7", "7", output: 10, sleep: "c2"),
        };

        var summary = RunAnalysis.Analyze(Config(), records);
        var baseline = summary.Arms.Single(a => a.Name == "baseline:v=0");
        var sleep = summary.Arms.Single(a => a.Name == "sleep:k=1,v=0");

        Assert.Equal(1 / 3.0, baseline.AccuracyPaper, 9);        // "45.0" is not "45" under the paper's rule
        Assert.Equal(2 / 3.0, baseline.AccuracyNumeric, 9);
        Assert.Equal(40, baseline.AvgTestOutputTokens, 9);
        Assert.Equal(0, baseline.AvgSleepOutputTokensPerContext);
        Assert.Equal(1.0, sleep.AccuracyPaper, 9);
        Assert.Equal(500, sleep.AvgSleepOutputTokensPerContext, 9);   // (600 + 400) / 2 contexts
        Assert.Equal(1.5, sleep.QueriesPerContext, 9);
        Assert.Equal(10 * 10 + 500, sleep.Amortized[0].CostPerQuery, 9);
        Assert.Equal(10 * 10 + 50, sleep.Amortized[3].CostPerQuery, 9);
        Assert.Equal(nameof(GradingMode.Paper), summary.GradingMode);
    }

    [Fact]
    public void Pass_at_k_is_right_when_any_sample_is_right_and_pays_for_every_sample()
    {
        var records = new List<ResultRecord>
        {
            Answer("q1", "c1", "pass:k=3", "1", "2", output: 10, sample: 0),
            Answer("q1", "c1", "pass:k=3", "2", "2", output: 10, sample: 1),
            Answer("q1", "c1", "pass:k=3", "3", "2", output: 10, sample: 2),
            Answer("q2", "c1", "pass:k=3", "1", "5", output: 10, sample: 0),
            Answer("q2", "c1", "pass:k=3", "1", "5", output: 10, sample: 1),
            Answer("q2", "c1", "pass:k=3", "1", "5", output: 10, sample: 2),
        };

        var arm = RunAnalysis.Analyze(Config(), records).Arms.Single();

        Assert.Equal(0.5, arm.AccuracyPaper, 9);
        Assert.Equal(30, arm.AvgTestOutputTokens, 9);
    }

    [Fact]
    public void Predictability_compares_the_sleep_arm_with_the_baseline_at_the_same_budget()
    {
        var records = new List<ResultRecord>();
        var logProbs = new Dictionary<string, double>();
        for (var i = 0; i < 10; i++)
        {
            records.Add(Answer($"q{i}", $"c{i}", "baseline:v=0", "0", "1", output: 10));
            records.Add(Answer($"q{i}", $"c{i}", "sleep:k=1,v=0", i >= 5 ? "1" : "0", "1", output: 5));
            logProbs[$"q{i}"] = i;
        }

        var predictability = RunAnalysis.Analyze(Config(), records, logProbs).Predictability!;

        Assert.Equal("sleep:k=1,v=0", predictability.ArmA);
        Assert.Equal("baseline:v=0", predictability.ArmB);
        Assert.Equal([0.0, 0.0, 0.5, 1.0, 1.0], predictability.Bins.Select(b => b.Gap));
    }

    internal static RunConfiguration Config() => new()
    {
        Dataset = "test.jsonl",
        DatasetKind = "gsm",
        Arms = ["baseline:v=0", "sleep:k=1,v=0"],
        SleepModel = "fake",
        TestModel = "fake",
        PriceRatio = 10,
    };

    internal static SleepRecord Sleep(string context, long output) =>
        new($"{context}|k=1|effort=default", context, 1, null, true, [new StoredBlock("learned_context", "m", 8000)], new StoredUsage(1000, output), 1, null);

    internal static AnswerRecord Answer(string question, string context, string arm, string reply, string expected, long output, int sample = 0, string? sleep = null) =>
        new(AnswerRecord.MakeKey(question, arm, sample), context, question, arm, sample, expected, reply, new StoredUsage(300, output), 1, sleep is null ? null : $"{sleep}|k=1|effort=default", null);
}
