using Microsoft.Extensions.AI;

namespace SleepTime.Bench.Codebases;

/// <summary>Settings of a SWE-Features run.</summary>
public sealed record CodebaseBenchOptions
{
    /// <summary>The folder holding the repositories: <c>ROOT/owner/name</c> or <c>ROOT/owner__name</c> (or <c>ROOT/name</c>) for repo <c>owner/name</c>.</summary>
    public required string ReposRoot { get; init; }

    /// <summary>The test-time budgets swept (max steps), each run with and without sleep-time.</summary>
    public IReadOnlyList<int> Budgets { get; init; } = [2, 4, 8, 16];

    /// <summary>Pull requests a sleep may study, by repo; when empty, the data set's own earlier pull requests of the same repo.</summary>
    public IReadOnlyList<SweFeaturesInstance> Related { get; init; } = [];

    /// <summary>Most related pull requests one sleep studies (the most recent before the instance).</summary>
    public int MaxRelated { get; init; } = 5;

    public CodebaseSleepOptions Sleep { get; init; } = new();

    /// <summary>A token cap per task, beside the step budget.</summary>
    public long? MaxTestTokens { get; init; }
}

/// <summary>One task answered: the arm, the budget, the files named, the score and the test-time tokens.</summary>
public sealed record CodebaseBenchResult(
    string Repo, int PrNumber, string Arm, int MaxSteps, IReadOnlyList<string> Predicted, IReadOnlyList<string> Expected,
    double Precision, double Recall, double F1, long TestTokens, int Steps, int ToolCalls, string? StoppedBy);

/// <summary>One instance's sleep: whether it produced a learned context, its tokens and tool calls, and the memory's size.</summary>
public sealed record CodebaseSleepRecord(string Repo, int PrNumber, bool Succeeded, string? Error, long SleepTokens, int ToolCalls, int MemoryChars);

/// <summary>An arm at one budget over every instance: mean precision, recall, F1 and test-time tokens.</summary>
public sealed record CodebaseArmPoint(string Arm, int MaxSteps, int Count, double Precision, double Recall, double F1, double AvgTestTokens);

public sealed record CodebaseBenchSummary(IReadOnlyList<CodebaseArmPoint> Points, IReadOnlyList<CodebaseSleepRecord> Sleeps, IReadOnlyList<CodebaseBenchResult> Results);

/// <summary>
/// The paper's SWE-Features case study: for each feature request, sleep once over the repository at its base commit
/// (the related pull requests shown one by one, then exploration), then predict the files to modify at every budget,
/// with the learned context (<c>sleep-time</c>) and without it (<c>baseline</c>); scored by F1 against the modified files.
/// </summary>
public sealed class CodebaseBench(IChatClient sleepModel, IChatClient testModel)
{
    public const string Baseline = "baseline";
    public const string SleepTime = "sleep-time";

    public async Task<CodebaseBenchSummary> RunAsync(IReadOnlyList<SweFeaturesInstance> instances, CodebaseBenchOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Budgets.Count == 0 || options.Budgets.Any(b => b < 1))
        {
            throw new SleepTimeValidationException("budgets", "Give at least one budget, each at least 1 step.");
        }

        var sleep = new CodebaseSleep(sleepModel);
        var agent = new CodebaseTaskAgent(testModel);
        var related = options.Related.Count > 0 ? options.Related : instances;
        var results = new List<CodebaseBenchResult>();
        var sleeps = new List<CodebaseSleepRecord>();
        foreach (var instance in instances)
        {
            var codebase = await Codebase.OpenAsync(RepositoryPath(options.ReposRoot, instance.Repo), instance.BaseCommit, cancellationToken: cancellationToken).ConfigureAwait(false);
            var documents = RelatedTo(instance, related, options.MaxRelated);
            progress?.Report($"{instance.Repo}#{instance.PrNumber}: sleeping over {documents.Count} related pull requests");
            var slept = await sleep.RunAsync(new CodebaseSleepInput($"{instance.Repo}#{instance.PrNumber}", 1, codebase, documents), null, options.Sleep, cancellationToken).ConfigureAwait(false);
            var learned = slept.Sleep.LearnedContext;
            sleeps.Add(new CodebaseSleepRecord(instance.Repo, instance.PrNumber, slept.Sleep.Succeeded, slept.Sleep.Error, slept.Sleep.Usage.TotalTokens, slept.ToolCalls, learned?.Length ?? 0));

            foreach (var steps in options.Budgets)
            {
                foreach (var (arm, context) in new[] { (Baseline, (LearnedContext?)null), (SleepTime, learned) })
                {
                    var answer = await agent.AnswerAsync(codebase, instance.Task, context, new CodebaseTaskBudget(steps, options.MaxTestTokens), cancellationToken).ConfigureAwait(false);
                    var score = FileSetScore.Of(answer.Files, instance.ModifiedFiles);
                    results.Add(new CodebaseBenchResult(instance.Repo, instance.PrNumber, arm, steps, answer.Files, instance.ModifiedFiles,
                        score.Precision, score.Recall, score.F1, answer.Usage.TotalTokens, answer.Steps, answer.ToolCalls, answer.StoppedBy));
                }
            }

            progress?.Report($"{instance.Repo}#{instance.PrNumber}: answered at {options.Budgets.Count} budgets");
        }

        return new CodebaseBenchSummary(Summarize(results), sleeps, results);
    }

    /// <summary>Mean precision, recall, F1 and test-time tokens per arm and budget.</summary>
    public static IReadOnlyList<CodebaseArmPoint> Summarize(IReadOnlyList<CodebaseBenchResult> results) =>
        results.GroupBy(r => (r.Arm, r.MaxSteps))
            .OrderBy(g => g.Key.Arm, StringComparer.Ordinal).ThenBy(g => g.Key.MaxSteps)
            .Select(g => new CodebaseArmPoint(g.Key.Arm, g.Key.MaxSteps, g.Count(), g.Average(r => r.Precision), g.Average(r => r.Recall), g.Average(r => r.F1), g.Average(r => (double)r.TestTokens)))
            .ToList();

    /// <summary>The repository folder of <paramref name="repo"/> under <paramref name="root"/>.</summary>
    public static string RepositoryPath(string root, string repo)
    {
        var tried = new[] { repo, repo.Replace("/", "__", StringComparison.Ordinal), repo.Split('/')[^1] }.Distinct().Select(r => Path.Combine(root, r)).ToList();
        return tried.FirstOrDefault(Directory.Exists)
            ?? throw new CodebaseException($"No repository for '{repo}' under '{root}' (tried {string.Join(", ", tried)}); clone it there.");
    }

    private static List<CodebaseDocument> RelatedTo(SweFeaturesInstance instance, IReadOnlyList<SweFeaturesInstance> pool, int max) =>
        pool.Where(p => p.Repo == instance.Repo && p.PrNumber < instance.PrNumber)
            .OrderByDescending(p => p.PrNumber)
            .Take(max)
            .OrderBy(p => p.PrNumber)
            .Select(p => p.ToDocument())
            .ToList();
}
