using SleepTime.Bench.Datasets;
using SleepTime.Bench.Prompts;
using SleepTime.Bench.Provenance;
using SleepTime.Bench.Running;
using SleepTime.Bench.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Bench.Tests.Prompts;

public sealed class PromptFolderTests
{
    [Fact]
    public async Task The_reference_repository_layout_supplies_the_whole_system_prompts_and_is_recorded_by_hash()
    {
        using var temp = new TempFolder();
        // The project's own stand-in texts in the reference repository's prompts/ layout (the real ones are never shipped).
        var system = Directory.CreateDirectory(temp.File("checkout/prompts/system")).FullName;
        Directory.CreateDirectory(temp.File("checkout/prompts/persona"));
        for (var level = 0; level <= 4; level++)
        {
            File.WriteAllText(Path.Combine(system, $"convo_verbosity_{level}.txt"), $"SYSTEM LEVEL {level}");
            File.WriteAllText(temp.File($"checkout/prompts/persona/persona_verbosity_{level}.txt"), $"PERSONA {level}");
        }

        File.WriteAllText(Path.Combine(system, "sleep_time_base.txt"), "SLEEP BASE");

        var set = PromptFolder.Load(temp.File("checkout"));
        var (sleep, test) = (new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("m")), new ScriptedChatClient(_ => ScriptedReply.Text("The answer is 1.")));
        using var store = ResultsStore.Open(temp.File("run"));
        var dataset = new BenchDataset("d", DatasetKind.Gsm, [new BenchContext("c1", "A box holds 3 pens.", [new BenchQuestion("c1/q1", "How many pens in 2 boxes?", "6")])]);
        await new BenchRunner(sleep, test, store, new BenchRunOptions { Prompts = set }).RunAsync(RunPlan.Create(dataset, [Arm.Parse("sleep:k=1,v=2")], store, set));

        Assert.Equal(Path.GetFullPath(temp.File("checkout")), set.Source);
        Assert.Equal("SYSTEM LEVEL 2\n\n<persona>\nPERSONA 2\n</persona>", Assert.Single(test.Calls).Messages[0].Text);
        Assert.StartsWith("SLEEP BASE", sleep.Calls[0].Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal(ContentHash.OfText("SLEEP BASE\n\n{{mode_instructions}}"), set.Hashes["sleep-math.v1"]);
        Assert.NotEqual(PromptSet.Default.TestHash, set.TestHash);
        Assert.Equal(set.TestHash, Assert.Single(store.Answers.Values).PromptHash);
    }

    [Fact]
    public void A_folder_without_prompts_is_a_clear_error()
    {
        using var temp = new TempFolder();

        var error = Assert.Throws<SleepTimeValidationException>(() => PromptFolder.Load(temp.Path));

        Assert.Contains("holds no prompts", error.Message, StringComparison.Ordinal);
        Assert.Contains("convo_verbosity_N.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_context_is_answered_without_a_sleep_call()
    {
        using var temp = new TempFolder();
        var (sleep, test) = (new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("m")), new ScriptedChatClient(_ => ScriptedReply.Text("The answer is 12.")));
        using var store = ResultsStore.Open(temp.Path);
        var dataset = new BenchDataset("d", DatasetKind.Aime, [new BenchContext("c1", string.Empty, [new BenchQuestion("c1/q1", "Find the number of divisors of 2024.", "12")])]);

        await new BenchRunner(sleep, test, store).RunAsync(RunPlan.Create(dataset, [Arm.Parse("sleep:k=1,v=0")], store));

        Assert.Equal(0, sleep.CallCount);
        var answer = Assert.Single(store.Answers.Values);
        Assert.Equal("The answer is 12.", answer.Reply);
        Assert.Null(answer.Excluded);
        Assert.True(Assert.Single(store.Sleeps.Values).Succeeded);
    }
}
