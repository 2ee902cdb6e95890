using System.Text.Json;
using SleepTime.Bench.Prompts;
using SleepTime.Bench.Provenance;
using SleepTime.Bench.Running;
using SleepTime.Bench.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Bench.Tests.Provenance;

public sealed class ReproducibilityTests
{
    private static readonly string[] Rows =
    [
        Row("A shop sells 3 apples a day.", "How many apples in 2 days?", "6"),
        Row("A farm has 4 pens of 6 goats.", "How many goats?", "24"),
        Row("A bus carries 30 people per trip.", "How many people in 3 trips?", "90"),
    ];

    [Fact]
    public async Task The_k_runs_of_a_sleep_get_distinct_seeds_and_each_phase_its_own_temperature()
    {
        using var temp = new TempFolder();
        var (sleep, test) = Models();
        using var store = ResultsStore.Open(temp.Path);
        var options = new BenchRunOptions { SleepSampling = new PhaseSampling(0, 10), TestSampling = new PhaseSampling(0.7, 20) };

        await new BenchRunner(sleep, test, store, options).RunAsync(RunPlan.Create(Running.BenchRunnerTests.Dataset(), [Arm.Parse("sleep:k=3,v=0")], store));

        Assert.Equal(4 * 3, sleep.CallCount);
        Assert.All(sleep.Calls, c => Assert.Equal(0f, c.Options?.Temperature));
        foreach (var context in sleep.Calls.GroupBy(c => c.Messages.Select(m => m.Text).First(t => t.Contains("Context ", StringComparison.Ordinal))))
        {
            Assert.Equal(new long?[] { 10, 11, 12 }, context.Select(c => c.Options?.Seed).Order());
        }

        Assert.All(test.Calls, c =>
        {
            Assert.Equal(0.7f, c.Options?.Temperature);
            Assert.Equal(20, c.Options?.Seed);
        });
        var stored = store.Sleeps.Values.First();
        Assert.Equal(["learned_context_1", "learned_context_2", "learned_context_3"], stored.Blocks.Select(b => b.Label));
        Assert.Equal([10L, 11, 12], stored.Seeds!);
    }

    [Fact]
    public async Task Config_and_every_result_record_the_hashes_sampling_and_code_version()
    {
        using var temp = new TempFolder();
        var dataset = temp.Write("data.jsonl", string.Join("\n", Rows) + "\n");
        var (sleep, test) = Models();

        await Session(sleep, test).RunAsync(Config(dataset), temp.File("run"), interactive: false);

        var config = JsonDocument.Parse(File.ReadAllText(temp.File("run/config.json"))).RootElement;
        Assert.Equal(ContentHash.OfFile(dataset), config.GetProperty("dataset_hash").GetString());
        Assert.Equal(0, config.GetProperty("test_temperature").GetDouble());
        Assert.Equal(CodeVersion.Current, config.GetProperty("code_version").GetString());
        var prompts = config.GetProperty("prompts");
        Assert.Equal(ContentHash.OfText(PromptLibrary.Default.Get("answer-level-0").Text), prompts.GetProperty("answer-level-0.v1").GetString());
        Assert.Equal(PromptLibrary.Default.Ids.Count(), prompts.EnumerateObject().Count());

        var records = File.ReadAllLines(temp.File("run/results.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(records.Where(r => r.GetProperty("type").GetString() == "answer"), r =>
        {
            Assert.Equal(PromptSet.Default.TestHash, r.GetProperty("prompt_hash").GetString());
            Assert.StartsWith("answer.v1+answer-level-", r.GetProperty("prompt_version").GetString(), StringComparison.Ordinal);
            Assert.Equal(16, r.GetProperty("item_hash").GetString()!.Length);
        });
        Assert.All(records.Where(r => r.GetProperty("type").GetString() == "sleep"), r => Assert.Equal(PromptSet.Default.SleepHash, r.GetProperty("prompt_hash").GetString()));
    }

    [Fact]
    public async Task A_data_set_edited_in_place_is_refused_naming_the_change_and_allow_changed_recomputes_only_the_edited_question()
    {
        using var temp = new TempFolder();
        var dataset = temp.Write("data.jsonl", string.Join("\n", Rows) + "\n");
        var folder = temp.File("run");
        var (sleep, test) = Models();
        await Session(sleep, test).RunAsync(Config(dataset), folder, interactive: false);

        // Same path, new gold answer for the second question.
        File.WriteAllText(dataset, string.Join("\n", Rows[0], Row("A farm has 4 pens of 6 goats.", "How many goats?", "25"), Rows[2]) + "\n");
        var (againSleep, againTest) = Models();
        var error = await Assert.ThrowsAsync<SleepTimeValidationException>(() => Session(againSleep, againTest).RunAsync(Config(dataset), folder, interactive: false));

        Assert.Contains("the data set's content changed", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 stored question(s) were edited (c0002/q1)", error.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-changed", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, againTest.CallCount + againSleep.CallCount);

        await Session(againSleep, againTest, allowChanged: true).RunAsync(Config(dataset), folder, interactive: false);

        Assert.Equal(2, againTest.CallCount);    // the edited question on both arms; its context is unchanged, so the sleep is kept
        Assert.Equal(0, againSleep.CallCount);
        using var store = ResultsStore.Open(folder);
        Assert.All(store.Answers.Values.Where(a => a.QuestionId == "c0002/q1"), a => Assert.Equal("25", a.Expected));
    }

    [Fact]
    public async Task With_allow_changed_an_edited_context_is_slept_on_again_and_its_answers_recomputed()
    {
        using var temp = new TempFolder();
        var dataset = temp.Write("data.jsonl", string.Join("\n", Rows) + "\n");
        var folder = temp.File("run");
        var (sleep, test) = Models();
        await Session(sleep, test).RunAsync(Config(dataset), folder, interactive: false);

        File.WriteAllText(dataset, string.Join("\n", Rows[0], Row("A farm has 5 pens of 6 goats.", "How many goats?", "30"), Rows[2]) + "\n");
        var (againSleep, againTest) = Models();
        await Session(againSleep, againTest, allowChanged: true).RunAsync(Config(dataset), folder, interactive: false);

        Assert.Equal(1, againSleep.CallCount);
        Assert.Contains("5 pens", againSleep.Calls[0].Messages.Last().Text, StringComparison.Ordinal);
        Assert.Equal(2, againTest.CallCount);
        Assert.All(againTest.Calls, c => Assert.Contains("5 pens", c.LastUserText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_prompt_or_code_version_is_refused_naming_it()
    {
        using var temp = new TempFolder();
        var dataset = temp.Write("data.jsonl", string.Join("\n", Rows) + "\n");
        var folder = temp.File("run");
        var (sleep, test) = Models();
        await Session(sleep, test).RunAsync(Config(dataset), folder, interactive: false);

        var prompts = Directory.CreateDirectory(temp.File("prompts")).FullName;
        File.WriteAllText(Path.Combine(prompts, "answer-level-0.v1.md"), "Reply with the number only.");
        var promptError = await Assert.ThrowsAsync<SleepTimeValidationException>(() =>
            new BenchSession(sleep, test, TextWriter.Null) { Prompts = PromptFolder.Load(prompts) }.RunAsync(Config(dataset), folder, interactive: false));
        Assert.Contains("prompts changed: answer-level-0.v1", promptError.Message, StringComparison.Ordinal);

        var configPath = Path.Combine(folder, RunConfiguration.FileName);
        File.WriteAllText(configPath, File.ReadAllText(configPath).Replace(CodeVersion.Current, "0.9.0+abc", StringComparison.Ordinal));
        var codeError = await Assert.ThrowsAsync<SleepTimeValidationException>(() => Session(sleep, test).RunAsync(Config(dataset), folder, interactive: false));
        Assert.Contains("the folder's run used 0.9.0+abc", codeError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changed_sampling_is_refused_even_with_allow_changed()
    {
        using var temp = new TempFolder();
        var dataset = temp.Write("data.jsonl", string.Join("\n", Rows) + "\n");
        var folder = temp.File("run");
        var (sleep, test) = Models();
        await Session(sleep, test).RunAsync(Config(dataset), folder, interactive: false);

        var error = await Assert.ThrowsAsync<SleepTimeValidationException>(() =>
            Session(sleep, test, allowChanged: true).RunAsync(Config(dataset) with { TestTemperature = 1 }, folder, interactive: false));

        Assert.Contains("test sampling is temperature 1, seed 0; the folder's run used temperature 0, seed 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_learned_only_arm_sends_the_learned_context_and_question_without_the_raw_context()
    {
        using var temp = new TempFolder();
        var (sleep, test) = Models();
        using var store = ResultsStore.Open(temp.Path);

        await new BenchRunner(sleep, test, store).RunAsync(RunPlan.Create(Running.BenchRunnerTests.Dataset(), [Arm.Parse("sleep:k=1,v=0,input=learned")], store));

        Assert.Equal("sleep:k=1,v=0,input=learned", Arm.Parse("sleep:v=0,input=learned").Name);
        Assert.All(test.Calls, c =>
        {
            var user = c.Messages.Last().Text;
            Assert.Contains("<learned_context>", user, StringComparison.Ordinal);
            Assert.DoesNotContain("<context>", user, StringComparison.Ordinal);
            Assert.DoesNotContain("a shop sells", user, StringComparison.Ordinal);
        });
    }

    private static BenchSession Session(ScriptedChatClient sleep, ScriptedChatClient test, bool allowChanged = false) =>
        new(sleep, test, TextWriter.Null) { AllowChanged = allowChanged };

    private static RunConfiguration Config(string dataset) => new()
    {
        Dataset = dataset,
        DatasetKind = "unknown",
        Arms = ["baseline:v=0", "sleep:k=1,v=0"],
        SleepModel = "scripted",
        TestModel = "scripted",
        SleepTemperature = 0,
        SleepSeed = 0,
        TestTemperature = 0,
        TestSeed = 0,
    };

    private static (ScriptedChatClient Sleep, ScriptedChatClient Test) Models() =>
        (new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("memory")), new ScriptedChatClient(_ => ScriptedReply.Text("The answer is 6.")));

    private static string Row(string context, string question, string answer) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["stateful_gsm_symbolic_context"] = context,
        ["stateful_gsm_symbolic_question"] = question,
        ["answer"] = $"#### {answer}",
    });
}
