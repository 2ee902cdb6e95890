using SleepTime.Bench.Metrics;
using SleepTime.Bench.Running;

namespace SleepTime.Bench.Tests.Metrics;

public sealed class StatisticsTests
{
    [Fact]
    public void The_cluster_bootstrap_is_wider_than_the_per_question_one_when_correctness_is_shared_within_a_context()
    {
        // 30 contexts of 10 questions; a context is answered all right or all wrong (perfect within-context correlation).
        var clusters = Enumerable.Range(0, 30).Select(c => (IReadOnlyList<bool>)Enumerable.Repeat(c % 2 == 0, 10).ToList()).ToList();
        var flat = clusters.SelectMany(c => c).ToList();

        var perQuestion = Bootstrap.AccuracyInterval(flat);
        var perContext = Bootstrap.ClusterAccuracyInterval(clusters);

        var (narrow, wide) = (perQuestion.High - perQuestion.Low, perContext.High - perContext.Low);
        Assert.True(wide > 2.5 * narrow, $"cluster width {wide:0.000} should be about sqrt(10) times the per-question width {narrow:0.000}");
        Assert.InRange(0.5, perContext.Low, perContext.High);
    }

    [Fact]
    public void Without_correlation_the_cluster_bootstrap_is_about_as_wide_as_the_per_question_one()
    {
        var random = new Random(3);
        var clusters = Enumerable.Range(0, 60).Select(_ => (IReadOnlyList<bool>)Enumerable.Range(0, 5).Select(_ => random.NextDouble() < 0.5).ToList()).ToList();

        var perQuestion = Bootstrap.AccuracyInterval(clusters.SelectMany(c => c).ToList());
        var perContext = Bootstrap.ClusterAccuracyInterval(clusters);

        Assert.InRange((perContext.High - perContext.Low) / (perQuestion.High - perQuestion.Low), 0.7, 1.4);
    }

    [Fact]
    public void The_report_uses_the_cluster_bootstrap_where_contexts_hold_several_questions()
    {
        var records = new List<ResultRecord>();
        for (var c = 0; c < 20; c++)
        {
            for (var q = 0; q < 5; q++)
            {
                records.Add(RunAnalysisTests.Answer($"c{c}/q{q}", $"c{c}", "baseline:v=0", c < 10 ? "1" : "0", "1", output: 10));
            }
        }

        var arm = RunAnalysis.Analyze(RunAnalysisTests.Config(), records).Arms.Single();
        var flat = Bootstrap.AccuracyInterval(Enumerable.Range(0, 100).Select(i => i < 50).ToList());

        Assert.Equal("context", arm.IntervalUnit);
        Assert.True(arm.AccuracyPaperCi.High - arm.AccuracyPaperCi.Low > 1.8 * (flat.High - flat.Low));
    }

    [Fact]
    public void A_paired_comparison_uses_only_shared_questions_and_its_interval_excludes_zero_for_a_consistent_gain()
    {
        var a = Enumerable.Range(0, 40).Select(i => new GradedQuestion($"q{i}", $"c{i}", i % 4 != 0, false, 10, 100)).ToList();       // 75% right
        var b = Enumerable.Range(0, 40).Where(i => i != 1).Select(i => new GradedQuestion($"q{i}", $"c{i}", i % 4 == 1, false, 10, 100)).ToList(); // right only where A is, q1 missing

        var paired = PairedComparison.Of("sleep", a, "baseline", b, q => q.Paper);

        Assert.Equal(39, paired.SharedQuestions);
        Assert.Equal(29 / 39.0, paired.AccuracyA, 9);
        Assert.Equal(9 / 39.0, paired.AccuracyB, 9);
        Assert.Equal(20 / 39.0, paired.Difference, 9);
        Assert.True(paired.DifferenceCi.Low > 0, $"interval [{paired.DifferenceCi.Low}, {paired.DifferenceCi.High}] should exclude 0");
        Assert.InRange(paired.Difference, paired.DifferenceCi.Low, paired.DifferenceCi.High);
    }

    [Fact]
    public void The_summary_pairs_each_sleep_time_arm_with_the_baseline_at_its_budget()
    {
        var records = new List<ResultRecord>();
        for (var i = 0; i < 10; i++)
        {
            records.Add(RunAnalysisTests.Answer($"q{i}", $"c{i}", "baseline:v=0", i < 4 ? "1" : "0", "1", output: 10));
            records.Add(RunAnalysisTests.Answer($"q{i}", $"c{i}", "sleep:k=1,v=0", i < 8 ? "1" : "0", "1", output: 10, sleep: $"c{i}"));
            records.Add(RunAnalysisTests.Sleep($"c{i}", 100));
        }

        var paired = Assert.Single(RunAnalysis.Analyze(RunAnalysisTests.Config(), records).Paired);

        Assert.Equal(("sleep:k=1,v=0", "baseline:v=0"), (paired.ArmA, paired.ArmB));
        Assert.Equal(0.4, paired.Difference, 9);
        Assert.Equal(10, paired.SharedQuestions);
    }
}
