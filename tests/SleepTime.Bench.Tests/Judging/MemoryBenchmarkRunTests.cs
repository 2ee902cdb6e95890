using System.Text.Json;
using SleepTime.Bench.Judging;
using SleepTime.Bench.Metrics;
using SleepTime.Bench.Reports;
using SleepTime.Bench.Running;
using SleepTime.Bench.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Bench.Tests.Judging;

public sealed class MemoryBenchmarkRunTests
{
    [Fact]
    public async Task A_LongMemEval_run_is_judged_per_answer_and_reported_per_question_type()
    {
        using var temp = new TempFolder();
        var folder = temp.File("run");
        var (sleep, test) = Models();
        var judge = Judge();

        var counters = await Session(sleep, test, judge).RunAsync(Config(Fixture.Path("longmemeval-mini.json")), folder, interactive: false);
        var summary = ReportWriter.Write(folder);

        Assert.Equal(0, counters!.Failures);
        Assert.Equal(4, sleep.CallCount);
        Assert.Equal(8, test.CallCount);
        Assert.Equal(8, judge.CallCount);
        Assert.All(judge.Calls, c => Assert.Contains("Reply with exactly one word: yes or no.", c.LastUserText, StringComparison.Ordinal));
        Assert.Contains(judge.Calls, c => c.LastUserText.Contains("Kind of question: temporal-reasoning", StringComparison.Ordinal) && c.LastUserText.Contains("Reference answer: 12", StringComparison.Ordinal));
        var baseline = summary.Arms.Single(a => a.Name == "baseline:v=0");
        Assert.Equal("judge", baseline.AccuracySource);
        Assert.Equal(0.75, baseline.AccuracyPaper, 9);
        Assert.Equal(
            [("abstention", 1.0), ("knowledge-update", 0.0), ("single-session-user", 1.0), ("temporal-reasoning", 1.0)],
            baseline.Categories.Select(c => (c.Category, c.Accuracy)));
        var report = File.ReadAllText(Path.Combine(folder, MarkdownReport.FileName));
        Assert.Contains("## Per category", report, StringComparison.Ordinal);
        Assert.Contains("| `baseline:v=0` | knowledge-update | 1 | 0.0% |", report, StringComparison.Ordinal);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, RunConfiguration.FileName))).RootElement;
        Assert.Equal("scripted-judge", config.GetProperty("judge_model").GetString());
        Assert.Equal("judge-longmemeval.v1", config.GetProperty("judge_prompt_source").GetString());
        Assert.Equal("General", config.GetProperty("sleep_variant").GetString());

        // Resuming with the same judge does nothing; a judge prompt of the user's own is a change that is named.
        var (again, againTest) = Models();
        var againJudge = Judge();
        await Session(again, againTest, againJudge).RunAsync(Config(Fixture.Path("longmemeval-mini.json")), folder, interactive: false);
        Assert.Equal(0, again.CallCount + againTest.CallCount + againJudge.CallCount);
        var own = temp.Write("judge.txt", "Q: {{question}}\nGold: {{expected}}\nAnswer: {{response}}\nyes or no?");
        var error = await Assert.ThrowsAsync<SleepTimeValidationException>(() =>
            Session(again, againTest, againJudge, JudgePrompt.FromFile(own)).RunAsync(Config(Fixture.Path("longmemeval-mini.json")), folder, interactive: false));
        Assert.Contains("the judge is scripted-judge with " + Path.GetFullPath(own), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_LoCoMo_run_amortizes_one_sleep_over_the_conversation_and_reports_token_F1_per_category()
    {
        using var temp = new TempFolder();
        var folder = temp.File("run");
        var (sleep, test) = Models();
        var judge = Judge();

        await Session(sleep, test, judge).RunAsync(Config(Fixture.Path("locomo-mini.json")), folder, interactive: false);
        var summary = RunAnalysis.Analyze(RunConfiguration.TryLoad(folder)!, ResultsStore.ReadAll(Path.Combine(folder, ResultsStore.FileName)));

        Assert.Equal(1, sleep.CallCount);   // one conversation, four questions
        var arm = summary.Arms.Single(a => a.Name == "sleep:k=1,v=0");
        Assert.Equal(4, arm.QueriesPerContext);
        var f1 = arm.Categories.ToDictionary(c => c.Category, c => c.F1);
        Assert.Equal(1.0, f1["adversarial"], 9);
        Assert.Equal(0.5, f1["multi-hop"], 9);               // "Oslo" against "Oslo, Bergen"
        Assert.Equal(1.0, f1["single-hop"], 9);
        Assert.Equal("context", arm.IntervalUnit);
        Assert.Contains(judge.Calls, c => c.LastUserText.Contains("Category: multi-hop", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_judge_a_memory_run_is_scored_by_reference_containment_and_says_so()
    {
        using var temp = new TempFolder();
        var folder = temp.File("run");
        var (sleep, test) = Models();

        await new BenchSession(sleep, test, TextWriter.Null).RunAsync(Config(Fixture.Path("longmemeval-mini.json")), folder, interactive: false);
        var summary = ReportWriter.Write(folder);

        var baseline = summary.Arms.Single(a => a.Name == "baseline:v=0");
        Assert.Equal("contains reference", baseline.AccuracySource);
        Assert.Equal(1.0, baseline.Categories.Single(c => c.Category == "single-session-user").Accuracy);   // "...is a beagle." contains "beagle"
        Assert.Contains("no --judge given", File.ReadAllText(Path.Combine(folder, MarkdownReport.FileName)), StringComparison.Ordinal);
    }

    private static BenchSession Session(ScriptedChatClient sleep, ScriptedChatClient test, ScriptedChatClient judge, JudgePrompt? prompt = null) =>
        new(sleep, test, TextWriter.Null) { Judge = (judge, "scripted-judge"), JudgePrompt = prompt };

    private static RunConfiguration Config(string dataset) => new()
    {
        Dataset = dataset,
        DatasetKind = "unknown",
        Arms = ["baseline:v=0", "sleep:k=1,v=0"],
        SleepModel = "scripted",
        TestModel = "scripted",
        SleepVariant = RunConfiguration.AutoVariant,
    };

    private static (ScriptedChatClient Sleep, ScriptedChatClient Test) Models() => (
        new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("the user's facts, dated")),
        new ScriptedChatClient(call => ScriptedReply.Text(call.LastUserText switch
        {
            var q when q.Contains("breed", StringComparison.Ordinal) => "Your dog is a beagle.",
            var q when q.Contains("days passed", StringComparison.Ordinal) => "12 days.",
            var q when q.Contains("live now", StringComparison.Ordinal) => "You live in Porto.",
            var q when q.Contains("cat's name", StringComparison.Ordinal) => "You never mentioned a cat.",
            var q when q.Contains("instrument", StringComparison.Ordinal) => "The cello.",
            var q when q.Contains("cities", StringComparison.Ordinal) => "Oslo",
            var q when q.Contains("colour", StringComparison.Ordinal) => "That is not mentioned in the conversation.",
            _ => "June 2023",
        })));

    /// <summary>A judge that says no only to the stale answer (Porto for the user who moved to Lisbon).</summary>
    private static ScriptedChatClient Judge() =>
        new(call => ScriptedReply.Text(call.LastUserText.Contains("Response: You live in Porto.", StringComparison.Ordinal) ? "no" : "Yes."));
}
