using Microsoft.Extensions.Logging.Abstractions;
using SleepTime;
using SleepTime.Providers.Local;
using SleepTime.Providers.Local.Embedded;

/// <summary>
/// The quick start with no endpoint: the same loop (add a context, sleep, ask at the smallest budget) on the embedded
/// demo model sleeptime-tiny, on a problem of the kind it knows, beside a baseline answer that works from the raw
/// context at the highest verbosity.
/// </summary>
public static class EmbeddedDemo
{
    /// <summary>A held-out problem of the project's word-problem generator (seed 7): never trained on.</summary>
    public const string Context = "Hana runs a small bakery and bakes 9 trays of muffins every morning. Each tray holds 20 muffins, and every muffin sells for $3. The bakery is open 5 days a week.";

    public const string Question = "How many muffins does Hana bake in a week?";

    public static async Task<int> RunAsync(TextWriter output)
    {
        var defaults = EmbeddedModel.Defaults();
        output.WriteLine(defaults.Notice);
        using var model = defaults.CreateChatClient(LocalModels.Shared, NullLoggerFactory.Instance);
        var engine = new SleepTimeEngine(model, model, new SleepTimeEngineOptions { Prompts = defaults.Prompts, Sleep = defaults.SleepOptions });

        var context = await engine.AddDocumentAsync(Context);
        var sleep = await engine.SleepAsync(context.Id);
        output.WriteLine($"learned context v{sleep.LearnedContext?.Version}, {sleep.Usage.OutputTokens} sleep tokens:");
        output.WriteLine(sleep.LearnedContext?.Render());

        var answer = await engine.AskAsync(context.Id, Question, AnswerBudget.Level(0));
        var baseline = await engine.AskAsync(context.Id, Question, new AskOptions { Arm = AnswerArm.Baseline, Budget = AnswerBudget.Level(4) });
        output.WriteLine($"sleep-time ({answer.Usage.OutputTokens} output tokens, c' v{answer.LearnedContextVersion}): {answer.Text}");
        output.WriteLine($"baseline ({baseline.Usage.OutputTokens} output tokens):\n{baseline.Text}");
        return 0;
    }
}
