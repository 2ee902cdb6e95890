using System.CommandLine;
using SleepTime.Bench.Judging;
using SleepTime.Bench.Prompts;
using SleepTime.Bench.Provenance;
using SleepTime.Bench.Reports;
using SleepTime.Bench.Running;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime bench run</c>: runs arms over a stateful data set into a resumable results folder.</summary>
internal static class BenchRunCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "Stateful GSM-Symbolic or AIME JSONL (see `bench convert` and `bench generate`), or LongMemEval (longmemeval_s/_m/_oracle.json) or LoCoMo (locomo10.json) as published.", Required = true };
        var arms = new Option<string[]>("--arms") { Description = "Arms or presets, e.g. baseline:v=0 sleep:k=5,v=0 context-only pass:k=5, or paper-verbosity, paper-effort, paper-k, paper-pass, smoke.", DefaultValueFactory = _ => ["paper-verbosity"], AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Results folder; rerunning into it continues where it stopped.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the context shuffle, and of both phases' sampling unless --sleep-seed/--test-seed are given.", DefaultValueFactory = _ => 0 };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N contexts." };
        var shuffle = new Option<bool>("--shuffle") { Description = "Shuffle contexts with the seed before --limit." };
        var concurrency = new Option<int>("--concurrency") { Description = "Most model calls in flight.", DefaultValueFactory = _ => 4 };
        var ratio = new Option<double>("--t") { Description = "Price of a test-time token in sleep-time tokens.", DefaultValueFactory = _ => CostModel.PaperRatio };
        var variant = new Option<SleepPromptVariant?>("--sleep-variant") { Description = "Sleep prompt (default: Math for GSM and AIME, General for LongMemEval and LoCoMo)." };
        var mode = new Option<SleepMode>("--sleep-mode") { Description = "Sleep with the paper's tools or as plain text.", DefaultValueFactory = _ => SleepMode.Tools };
        var estimateOnly = new Option<bool>("--estimate-only") { Description = "Print the token and cost estimate and stop." };
        var noReport = new Option<bool>("--no-report") { Description = "Do not write report.md, summary.json and plots after the run." };
        var allowChanged = new Option<bool>("--allow-changed") { Description = "Continue a results folder although the data set content, prompts or code version changed since it began; results that depended on a changed question or prompt are recomputed." };
        var prompts = new Option<string?>("--prompts") { Description = "Folder of prompts to use instead of the built-in ones: files named <id>.v<N>.md, or a checkout of the paper's reference repository (its prompts/ layout). Recorded by content hash." };
        var models = new BenchModelOptions();
        var sampling = new BenchSamplingOptions();

        var command = new Command("run", "Run arms over a data set (resumable), then write the report.")
        {
            dataset, arms, output, seed, limit, shuffle, concurrency, ratio, variant, mode, estimateOnly, noReport, allowChanged, prompts,
        };
        models.AddTo(command, withJudge: true);
        sampling.AddTo(command);
        command.SetAction((parse, cancellationToken) => BenchCommand.Guard(async () =>
        {
            if (parse.GetValue(concurrency) < 1)
            {
                throw new SleepTimeValidationException("concurrency", "--concurrency must be at least 1.");
            }

            var (sleepSampling, testSampling) = sampling.Read(parse, parse.GetValue(seed));
            // sleeptime-tiny knows only the compact prompts and plain-text sleep it was trained on.
            var embedded = models.RunsEmbeddedModel(parse);
            var promptSet = parse.GetValue(prompts) is { } promptFolder ? PromptFolder.Load(promptFolder)
                : embedded ? new PromptSet(PromptLibrary.Compact, $"{PromptSet.BuiltIn}:{PromptLibrary.CompactVariant}")
                : PromptSet.Default;
            var sleepMode = embedded && parse.GetResult(mode) is null or { Implicit: true } ? SleepMode.PlainText : parse.GetValue(mode);
            var (sleepModel, sleepName, testModel, testName) = models.Create(parse);
            var folder = parse.GetValue(output)!;
            var configuration = new RunConfiguration
            {
                Dataset = Path.GetFullPath(parse.GetValue(dataset)!),
                DatasetKind = "unknown",
                Arms = parse.GetValue(arms)!,
                Seed = parse.GetValue(seed),
                Limit = parse.GetValue(limit),
                Shuffle = parse.GetValue(shuffle),
                Concurrency = parse.GetValue(concurrency),
                PriceRatio = parse.GetValue(ratio),
                SleepModel = sleepName,
                TestModel = testName,
                SleepVariant = parse.GetValue(variant)?.ToString() ?? RunConfiguration.AutoVariant,
                SleepMode = sleepMode.ToString(),
                SleepTemperature = sleepSampling.Temperature,
                SleepSeed = sleepSampling.Seed,
                TestTemperature = testSampling.Temperature,
                TestSeed = testSampling.Seed,
            };

            var session = new BenchSession(sleepModel, testModel, Console.Out)
            {
                Prompts = promptSet,
                AllowChanged = parse.GetValue(allowChanged),
                Judge = models.CreateJudge(parse),
                JudgePrompt = parse.GetValue(models.JudgePrompt) is { } judgePrompt ? JudgePrompt.FromFile(judgePrompt) : null,
            };
            var counters = await session.RunAsync(configuration, folder, parse.GetValue(estimateOnly), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (counters is null)
            {
                return 0;
            }

            Console.WriteLine($"Done: {counters.AnswersDone} answers and {counters.SleepsDone} sleeps computed, {counters.Failures} failed, {counters.Excluded} sleep-time answers left out because their sleep failed; results in {Path.Combine(folder, ResultsStore.FileName)}.");
            if (!parse.GetValue(noReport))
            {
                var summary = ReportWriter.Write(folder);
                Console.WriteLine($"Report: {Path.Combine(folder, MarkdownReport.FileName)} ({summary.Arms.Count} arms).");
            }

            return counters.Failures > 0 || counters.Excluded > 0 ? 1 : 0;
        }));
        return command;
    }
}
