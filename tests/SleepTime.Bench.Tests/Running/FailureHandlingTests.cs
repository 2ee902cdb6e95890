using SleepTime.Bench.Metrics;
using SleepTime.Bench.Reports;
using SleepTime.Bench.Running;
using SleepTime.Bench.Tests.Metrics;
using SleepTime.Bench.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Bench.Tests.Running;

public sealed class FailureHandlingTests
{
    [Fact]
    public async Task A_failed_sleep_leaves_its_questions_unanswered_and_excluded_and_a_rerun_retries_it()
    {
        using var temp = new TempFolder();
        var arms = Arm.ParseList(["baseline:v=0", "sleep:k=1,v=0"]);
        var failingSleep = SleepModel(failContext: 2);
        var (_, firstTest) = BenchRunnerTests.Models();

        using (var store = ResultsStore.Open(temp.Path))
        {
            await new BenchRunner(failingSleep, firstTest, store).RunAsync(RunPlan.Create(BenchRunnerTests.Dataset(), arms, store));
        }

        // ctx-2's two sleep-time questions never reach the test model: 8 baseline + 6 sleep-time answers.
        Assert.Equal(14, firstTest.CallCount);
        Assert.Equal(2, firstTest.Calls.Count(c => c.LastUserText.Contains("shop 2", StringComparison.Ordinal)));   // its baseline answers only
        var records = ResultsStore.ReadAll(Path.Combine(temp.Path, ResultsStore.FileName));
        var left = records.OfType<AnswerRecord>().Where(a => a.ContextId == "ctx-2" && a.Arm.StartsWith("sleep", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, left.Count);
        Assert.All(left, a =>
        {
            Assert.Null(a.Reply);
            Assert.Equal(AnswerRecord.SleepFailed, a.Excluded);
            Assert.Contains("sleep failed", a.Error, StringComparison.Ordinal);
        });

        var summary = RunAnalysis.Analyze(RunAnalysisTests.Config() with { Arms = arms.Select(a => a.Name).ToList() }, records);
        var sleepArm = summary.Arms.Single(a => a.Name == "sleep:k=1,v=0");
        var baseline = summary.Arms.Single(a => a.Name == "baseline:v=0");
        Assert.Equal(6, sleepArm.Questions);
        Assert.Equal(2, sleepArm.ExcludedQuestions);
        Assert.Equal(1, sleepArm.FailedSleeps);
        Assert.Equal(0, sleepArm.Failures);
        Assert.Equal(8, baseline.Questions);
        Assert.Equal(0, baseline.ExcludedQuestions);
        var markdown = MarkdownReport.Render(summary, []);
        Assert.Contains("2 sleep-time question(s) were excluded because 1 sleep(s) failed", markdown, StringComparison.Ordinal);
        Assert.Contains("different numbers of questions", markdown, StringComparison.Ordinal);
        Assert.Contains("| `sleep:k=1,v=0` | 6 |", markdown, StringComparison.Ordinal);

        // A rerun that adds an arm while the sleep still fails tries the sleep again and never reuses the failure.
        var stillFailing = SleepModel(failContext: 2);
        var (_, secondTest) = BenchRunnerTests.Models();
        var more = Arm.ParseList(["baseline:v=0", "sleep:k=1,v=0", "sleep:k=1,v=3"]);
        using (var store = ResultsStore.Open(temp.Path))
        {
            await new BenchRunner(stillFailing, secondTest, store).RunAsync(RunPlan.Create(BenchRunnerTests.Dataset(), more, store));
        }

        Assert.Equal(1, stillFailing.CallCount);
        Assert.Equal(6, secondTest.CallCount);   // the new arm on ctx-1, 3, 4 only

        var healthy = SleepModel(failContext: null);
        var (_, thirdTest) = BenchRunnerTests.Models();
        using (var store = ResultsStore.Open(temp.Path))
        {
            await new BenchRunner(healthy, thirdTest, store).RunAsync(RunPlan.Create(BenchRunnerTests.Dataset(), more, store));
        }

        Assert.Equal(1, healthy.CallCount);
        Assert.Equal(4, thirdTest.CallCount);    // ctx-2's two questions on both sleep-time arms
        var final = RunAnalysis.Analyze(RunAnalysisTests.Config() with { Arms = more.Select(a => a.Name).ToList() }, ResultsStore.ReadAll(Path.Combine(temp.Path, ResultsStore.FileName)));
        Assert.All(final.Arms, a =>
        {
            Assert.Equal(8, a.Questions);
            Assert.Equal(0, a.ExcludedQuestions);
            Assert.Equal(0, a.FailedSleeps);
        });
    }

    [Fact]
    public void A_stored_answer_made_with_a_failed_sleep_is_never_graded_as_sleep_time()
    {
        // A results file from before failures were handled: the answer was made although its sleep failed.
        var records = new List<ResultRecord>
        {
            new SleepRecord("c1|k=1|effort=default", "c1", 1, null, false, [], new StoredUsage(10, 0), 1, "503"),
            RunAnalysisTests.Answer("c1/q1", "c1", "sleep:k=1,v=0", "The answer is 45.", "45", output: 10, sleep: "c1"),
            RunAnalysisTests.Sleep("c2", 100),
            RunAnalysisTests.Answer("c2/q1", "c2", "sleep:k=1,v=0", "The answer is 7.", "7", output: 10, sleep: "c2"),
        };

        var arm = RunAnalysis.Analyze(RunAnalysisTests.Config(), records).Arms.Single();

        Assert.Equal(1, arm.Questions);
        Assert.Equal(1, arm.ExcludedQuestions);
        Assert.Equal(1, arm.FailedSleeps);
        Assert.Equal(1.0, arm.AccuracyPaper);
    }

    [Fact]
    public void An_arm_whose_every_sleep_failed_reports_no_accuracy_and_leaves_its_family_frontier_intact()
    {
        var records = new List<ResultRecord>
        {
            new SleepRecord("c1|k=1|effort=default", "c1", 1, null, false, [], new StoredUsage(10, 0), 1, "503"),
            RunAnalysisTests.Sleep("c2", 100),
            new AnswerRecord(AnswerRecord.MakeKey("c1/q1", "sleep:k=1,v=0", 0), "c1", "c1/q1", "sleep:k=1,v=0", 0, "45", null, new StoredUsage(0, 0), 0, "c1|k=1|effort=default", "not answered", AnswerRecord.SleepFailed),
            RunAnalysisTests.Answer("c2/q1", "c2", "sleep:k=1,v=3", "The answer is 7.", "7", output: 90, sleep: "c2"),
        };

        var summary = RunAnalysis.Analyze(RunAnalysisTests.Config() with { Arms = ["sleep:k=1,v=0", "sleep:k=1,v=3"] }, records);

        var empty = summary.Arms.Single(a => a.Name == "sleep:k=1,v=0");
        Assert.Equal(0, empty.Questions);
        Assert.True(double.IsNaN(empty.AccuracyPaper));
        var point = Assert.Single(summary.Frontiers["sleep-time k=1"]);
        Assert.Equal("sleep:k=1,v=3", point.Label);
        using var temp = new TempFolder();
        Assert.NotEmpty(BenchPlots.RenderAll(summary, temp.Path));
        Assert.Contains("| `sleep:k=1,v=0` | 0 | – [–, –] |", MarkdownReport.Render(summary, []), StringComparison.Ordinal);
    }

    private static ScriptedChatClient SleepModel(int? failContext) => new(call =>
    {
        var context = call.Messages.Select(m => m.Text).First(t => t.Contains("Context ", StringComparison.Ordinal));
        return failContext is { } n && context.Contains($"Context {n}:", StringComparison.Ordinal)
            ? throw new HttpRequestException("503 from provider")
            : ScriptedReply.RethinkAndFinish("memory");
    });
}
