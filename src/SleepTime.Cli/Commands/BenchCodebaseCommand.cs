using System.CommandLine;
using System.Globalization;
using SleepTime.Bench.Codebases;

namespace SleepTime.Cli.Commands;

/// <summary>
/// <c>sleeptime bench codebase fixture DIR</c> writes the project's fixture repository and its SWE-Features files;
/// <c>sleeptime bench codebase run --data F --repos DIR --out DIR --model M</c> runs the SWE-Features case study on
/// your data and your clones (nothing is downloaded): a sleep per task, then the budget sweep with and without it.
/// </summary>
internal static class BenchCodebaseCommand
{
    public static Command Create()
    {
        var command = new Command("codebase", "The paper's SWE-Features case study: predict the files a feature request modifies, with and without sleep-time.");
        command.Subcommands.Add(Fixture());
        command.Subcommands.Add(Run());
        return command;
    }

    private static Command Fixture()
    {
        var folder = new Argument<string>("folder") { Description = "An empty or new folder: gets fixture__shop/ (a git repository), swe-features.jsonl and related.jsonl." };
        var filler = new Option<int>("--filler-files") { Description = "Extra generated modules, to make the repository large.", DefaultValueFactory = _ => 0 };
        var command = new Command("fixture", "Write the generated fixture repository and its feature requests in the SWE-Features format.") { folder, filler };
        command.SetAction((parse, cancellationToken) => BenchCommand.Guard(async () =>
        {
            var root = parse.GetValue(folder)!;
            var (fixture, data, related) = await FixtureDataset.WriteAsync(root, Math.Max(0, parse.GetValue(filler)), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Wrote {fixture.Path} (base commit {fixture.BaseCommit[..12]}), {data} ({fixture.Requests.Count} tasks) and {related} ({fixture.PullRequests.Count} related pull requests).");
            Console.WriteLine($"Run: sleeptime bench codebase run --data {data} --related {related} --repos {root} --out <folder> --model <model>");
            return 0;
        }));
        return command;
    }

    private static Command Run()
    {
        var data = new Option<string>("--data") { Description = "SWE-Features instances (JSON lines or a JSON array).", Required = true };
        var repos = new Option<string>("--repos") { Description = "Folder of local clones: ROOT/owner/name, ROOT/owner__name or ROOT/name.", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write results.jsonl, summary.md/json and f1-vs-tokens.png/svg.", Required = true };
        var related = new Option<string?>("--related") { Description = "Pull requests a sleep may study (same format); default: the data set's earlier pull requests of the same repo." };
        var budgets = new Option<string>("--budgets") { Description = "Max steps per task, comma-separated.", DefaultValueFactory = _ => "2,4,8,16" };
        var maxRelated = new Option<int>("--max-related") { Description = "Most related pull requests per sleep.", DefaultValueFactory = _ => 5 };
        var toolCalls = new Option<int>("--max-tool-calls") { Description = "Tool-call budget of each sleep.", DefaultValueFactory = _ => 40 };
        var sleepTokens = new Option<long?>("--max-sleep-tokens") { Description = "Exploration token budget of each sleep (exploration ends there; what was written is kept)." };
        var testTokens = new Option<long?>("--max-test-tokens") { Description = "Token cap of each task beside its step budget." };
        var limit = new Option<int?>("--limit") { Description = "Only the first N instances." };
        var models = new BenchModelOptions();
        var command = new Command("run", "Sleep over each task's repository at its base commit, then answer at every budget with and without the learned context.")
        {
            data, repos, output, related, budgets, maxRelated, toolCalls, sleepTokens, testTokens, limit,
        };
        models.AddTo(command);
        command.SetAction((parse, cancellationToken) => BenchCommand.Guard(async () =>
        {
            var instances = SweFeaturesReader.Read(parse.GetValue(data)!);
            if (parse.GetValue(limit) is { } count)
            {
                instances = instances.Take(Math.Max(0, count)).ToList();
            }

            var steps = ParseBudgets(parse.GetValue(budgets)!);
            var (sleepModel, sleepName, testModel, testName) = models.Create(parse);
            var options = new CodebaseBenchOptions
            {
                ReposRoot = parse.GetValue(repos)!,
                Budgets = steps,
                Related = parse.GetValue(related) is { } file ? SweFeaturesReader.Read(file) : [],
                MaxRelated = parse.GetValue(maxRelated),
                Sleep = new CodebaseSleepOptions { MaxToolCalls = parse.GetValue(toolCalls), MaxExplorationTokens = parse.GetValue(sleepTokens) },
                MaxTestTokens = parse.GetValue(testTokens),
            };
            Console.WriteLine($"{instances.Count} tasks, budgets {string.Join(", ", steps)} steps; sleep model {sleepName}, test model {testName}.");
            var summary = await new CodebaseBench(sleepModel, testModel).RunAsync(instances, options, new Progress<string>(Console.WriteLine), cancellationToken).ConfigureAwait(false);
            var files = CodebaseBenchReport.Write(summary, parse.GetValue(output)!);
            Console.Write(CodebaseBenchReport.Markdown(summary));
            Console.WriteLine($"Wrote {string.Join(", ", files)}.");
            return 0;
        }));
        return command;
    }

    private static List<int> ParseBudgets(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var budgets = parts.Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : -1).ToList();
        return budgets.Count > 0 && budgets.All(b => b >= 1)
            ? budgets.Distinct().Order().ToList()
            : throw new SleepTimeValidationException("budgets", $"--budgets must be whole numbers of steps from 1, comma-separated; got '{text}'.");
    }
}
