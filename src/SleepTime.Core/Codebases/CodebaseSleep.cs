using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// What a codebase sleep reads: the repository at its revision, the related documents not yet studied, and the commit
/// the learned context was written for; for a directory, the files that changed on disk since it was written (null
/// when that is not known, so the directory is explored again).
/// </summary>
/// <param name="ExploreAgain">
/// The learned context cannot be brought up to date from what changed: the context was started over after it was
/// written, or a directory's files at its watermark are not known (recorded before manifests were). The codebase is
/// explored again, from the learned context, rather than skipped.
/// </param>
public sealed record CodebaseSleepInput(
    string ContextId, long SourceVersion, Codebase Codebase, IReadOnlyList<CodebaseDocument> Documents, string? PreviousCommit = null,
    IReadOnlyList<CodebaseChange>? DirectoryChanges = null, bool ExploreAgain = false);

/// <summary>A codebase sleep's result (the learned context is in <see cref="Sleep"/>, to commit like any other) and what its exploration did.</summary>
public sealed record CodebaseSleepResult(SleepResult Sleep, int ToolCalls, bool ExplorationEnded, IReadOnlyList<string> Stages, IReadOnlyList<CodebaseAccess> Reads);

/// <summary>
/// Sleep-time compute over a codebase: a loop strategy on the one sleep loop. The model reads the repository with the
/// read-only <see cref="CodebaseTools"/> and writes one learned block with the paper's <c>rethink_memory</c> /
/// <c>finish_rethinking_memory</c>. Related documents are shown one at a time, then the repository is explored; when
/// the learned context was written for an older commit, only the diff since that commit is read. A spent tool or
/// exploration budget ends the reading and keeps the last complete memory; the hard token cap fails the sleep.
/// It stores nothing: the caller commits <see cref="SleepResult.LearnedContext"/>.
/// </summary>
public sealed class CodebaseSleep
{
    private const int GraceCalls = 2;
    private readonly IChatClient model;
    private readonly UsageMeter meter;
    private readonly TimeProvider time;

    public CodebaseSleep(IChatClient model, ITokenCounter? tokenCounter = null, TimeProvider? timeProvider = null)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        meter = new UsageMeter(tokenCounter ?? O200kTokenCounter.Instance);
        time = timeProvider ?? TimeProvider.System;
    }

    public async Task<CodebaseSleepResult> RunAsync(CodebaseSleepInput input, LearnedContext? previous, CodebaseSleepOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new CodebaseSleepOptions();
        options.Validate();
        var started = Stopwatch.GetTimestamp();
        var codebase = input.Codebase;
        var startingMemory = previous?.Blocks.FirstOrDefault(b => b.Label == options.BlockLabel)?.Value ?? previous?.Render();
        var atCommits = previous is not null && input.PreviousCommit is not null && codebase.Commit is not null;
        var onDisk = previous is not null && input.DirectoryChanges is not null && codebase.Commit is null;
        var incremental = atCommits || onDisk;
        var moved = (atCommits && !string.Equals(input.PreviousCommit, codebase.Commit, StringComparison.Ordinal)) || (onDisk && input.DirectoryChanges!.Count > 0);
        if (previous is not null && !options.Force && !input.ExploreAgain && input.Documents.Count == 0 && (!incremental || !moved))
        {
            var skipped = new SleepResult(input.ContextId, SleepStatus.Skipped, null, [], TokenUsage.Zero, Stopwatch.GetElapsedTime(started),
                Error: $"The learned context (version {previous.Version}) already covers this revision and every document.");
            return new CodebaseSleepResult(skipped, 0, false, [], []);
        }

        var readsBefore = codebase.Accesses.Count;
        var tools = new CodebaseTools(codebase, options.MaxToolCalls);
        var budget = new TokenBudget(options.MaxTotalTokens);
        var explorationMeter = new ExplorationMeter(model, meter, options.MaxExplorationTokens, tools);
        var system = CodebasePrompts.Render(CodebasePrompts.Sleep, ("block_limit", options.BlockLimit.ToString("N0", CultureInfo.InvariantCulture)));
        var memory = startingMemory;
        var usage = TokenUsage.Zero;
        var (calls, rethinks, reminders, toolErrors) = (0, 0, 0, 0);
        string? modelId = null;
        var stages = new List<string>();

        var plan = new List<(string Name, Func<string, Task<string>> Input)>();
        if (moved && onDisk)
        {
            plan.Add(("changes", current => Task.FromResult(DirectoryChangesInput(input.DirectoryChanges!, current))));
        }
        else if (moved)
        {
            plan.Add(("diff", async current => await DiffInputAsync(codebase, input.PreviousCommit!, current, cancellationToken).ConfigureAwait(false)));
        }

        for (var i = 0; i < input.Documents.Count; i++)
        {
            var (index, document) = (i, input.Documents[i]);
            plan.Add(($"document {i + 1}", current => Task.FromResult(CodebasePrompts.Render(CodebasePrompts.DocumentInput,
                ("index", (index + 1).ToString(CultureInfo.InvariantCulture)), ("count", input.Documents.Count.ToString(CultureInfo.InvariantCulture)),
                ("document", document.Render()), ("memory", Shown(current))))));
        }

        if (!incremental || options.Force)
        {
            plan.Add(("explore", async current => await ExploreInputAsync(codebase, current, cancellationToken).ConfigureAwait(false)));
        }

        foreach (var (name, render) in plan)
        {
            if (explorationMeter.Ended && memory is not null)
            {
                break;
            }

            var prompt = await render(memory ?? string.Empty).ConfigureAwait(false);
            var state = new StageState(new SleepTools(options.MemoryOptions, memory), tools);
            var chatOptions = new ChatOptions { MaxOutputTokens = options.MaxOutputTokens, Tools = [.. tools.All, .. state.Memory.All], ToolMode = ChatToolMode.Auto };
            var loop = new SleepLoop(explorationMeter, meter, budget, options.MaxToolCalls + options.MaxRethinks + options.MaxReminders + GraceCalls + 2, options.MaxReminders);
            var run = await loop.RunAsync([new(ChatRole.System, system), new(ChatRole.User, prompt)], chatOptions, state, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            stages.Add(name);
            usage += run.Usage;
            calls += run.ModelCalls;
            rethinks += state.Memory.Rethinks;
            reminders += run.Reminders;
            toolErrors += run.ToolErrors;
            modelId ??= run.Model;

            var kept = state.Memory.Wrote || (state.Memory.Finished && !string.IsNullOrWhiteSpace(state.Memory.Memory));
            var failure = run.Verdict(kept, state.Memory.Finished);
            if (failure is { Reason: SleepFailureReason.NoToolCalls or SleepFailureReason.ToolErrors } && (explorationMeter.Ended || tools.Spent) && memory is not null)
            {
                failure = null;
            }

            if (failure is { } failed)
            {
                return Failed(input, usage, calls, rethinks, reminders, toolErrors, modelId, failed.Reason, $"{name}: {failed.Error}", started, tools, explorationMeter, stages, readsBefore);
            }

            memory = state.Memory.Wrote ? state.Memory.Memory : memory;
        }

        if (string.IsNullOrWhiteSpace(memory))
        {
            return Failed(input, usage, calls, rethinks, reminders, toolErrors, modelId, SleepFailureReason.NoMemory,
                $"The sleep model ended without writing any memory with {SleepTools.Rethink}.", started, tools, explorationMeter, stages, readsBefore);
        }

        var version = (previous?.Version ?? 0) + 1;
        var now = time.GetUtcNow();
        modelId ??= model.GetService<ChatClientMetadata>()?.DefaultModelId;
        var block = Block.OfLearned(input.ContextId, options.BlockLabel, memory, options.BlockLimit, version, now, "sleep:" + (modelId ?? "model"));
        var learned = new LearnedContext(input.ContextId, version, [block],
            new LearnedContextProvenance(input.SourceVersion, modelId, CodebasePrompts.SleepId, CodebasePrompts.SleepVersion, 1, incremental, previous?.Version, usage, now));
        var report = new SleepRunReport(0, true, calls, rethinks, true, reminders, toolErrors, usage, modelId, null, null);
        var result = new SleepResult(input.ContextId, SleepStatus.Succeeded, learned, [report], usage, Stopwatch.GetElapsedTime(started));
        return new CodebaseSleepResult(result, tools.Calls, explorationMeter.Ended || tools.Spent, stages, ReadsSince(codebase, readsBefore));
    }

    private static CodebaseSleepResult Failed(
        CodebaseSleepInput input, TokenUsage usage, int calls, int rethinks, int reminders, int toolErrors, string? modelId, SleepFailureReason reason, string error, long started,
        CodebaseTools tools, ExplorationMeter exploration, List<string> stages, int readsBefore)
    {
        var report = new SleepRunReport(0, false, calls, rethinks, false, reminders, toolErrors, usage, modelId, reason, error);
        var result = new SleepResult(input.ContextId, SleepStatus.Failed, null, [report], usage, Stopwatch.GetElapsedTime(started), reason, error);
        return new CodebaseSleepResult(result, tools.Calls, exploration.Ended || tools.Spent, stages, ReadsSince(input.Codebase, readsBefore));
    }

    private static IReadOnlyList<CodebaseAccess> ReadsSince(Codebase codebase, int before) => codebase.Accesses.Skip(before).ToList();

    private static string Shown(string memory) => memory.Length == 0 ? "(empty: nothing learned yet)" : memory;

    private static async Task<string> ExploreInputAsync(Codebase codebase, string memory, CancellationToken cancellationToken)
    {
        var files = await codebase.ListAsync(null, cancellationToken).ConfigureAwait(false);
        var top = files
            .GroupBy(f => f.Path.Contains('/', StringComparison.Ordinal) ? f.Path[..f.Path.IndexOf('/', StringComparison.Ordinal)] + "/" : f.Path, StringComparer.Ordinal)
            .Select(g => g.Key.EndsWith('/') ? $"{g.Key} ({g.Count()} files)" : g.Key)
            .Take(100);
        return CodebasePrompts.Render(CodebasePrompts.ExploreInput,
            ("revision", Revision(codebase)), ("file_count", files.Count.ToString(CultureInfo.InvariantCulture)),
            ("top_level", string.Join("\n", top)), ("memory", Shown(memory)));
    }

    private static async Task<string> DiffInputAsync(Codebase codebase, string from, string memory, CancellationToken cancellationToken)
    {
        var changes = await codebase.DiffAsync(from, cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder();
        foreach (var change in changes)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {change.Path} ({change.Status})\n");
        }

        foreach (var change in changes.Where(c => c.Patch.Length > 0))
        {
            text.Append(CultureInfo.InvariantCulture, $"\nPatch of {change.Path}:\n```diff\n{change.Patch}\n```\n");
        }

        return CodebasePrompts.Render(CodebasePrompts.DiffInput,
            ("from", from[..Math.Min(12, from.Length)]), ("to", Revision(codebase)), ("changes", changes.Count == 0 ? "(no file changed)" : text.ToString().TrimEnd()), ("memory", Shown(memory)));
    }

    /// <summary>The most changed files a changes stage lists; the rest are counted (list_files shows them).</summary>
    internal const int MaxListedChanges = 200;

    private static string DirectoryChangesInput(IReadOnlyList<CodebaseChange> changes, string memory)
    {
        var listed = changes.Take(MaxListedChanges).Select(c => $"- {c.Path.ReplaceLineEndings(" ")} ({c.Status})");
        var more = changes.Count > MaxListedChanges
            ? [string.Create(CultureInfo.InvariantCulture, $"- … and {changes.Count - MaxListedChanges:N0} more ({string.Join(", ", changes.Skip(MaxListedChanges).GroupBy(c => c.Status).Select(g => $"{g.Count():N0} {g.Key}"))})")]
            : Array.Empty<string>();
        return CodebasePrompts.Render(CodebasePrompts.DirectoryChangesInput, ("changes", string.Join("\n", listed.Concat(more))), ("memory", Shown(memory)));
    }

    private static string Revision(Codebase codebase) => codebase.Commit is { } commit ? "commit " + commit[..12] : "the directory as it is on disk";

    /// <summary>A stage's working state: the memory tools decide when it is done, and a model that keeps reading after the tools are spent is stopped.</summary>
    private sealed class StageState(SleepTools memory, CodebaseTools tools) : ISleepLoopState
    {
        private readonly int refusedAtStart = tools.RefusedCalls;

        public SleepTools Memory { get; } = memory;

        public bool Done => Memory.Done || tools.RefusedCalls - refusedAtStart >= GraceCalls;

        public string? FollowUp(ChatResponse reply) => Memory.FollowUp(reply);
    }

    /// <summary>Counts the tokens of the exploration (measured as the loop meters them) and ends the tools' reading when they pass the soft limit.</summary>
    private sealed class ExplorationMeter(IChatClient inner, UsageMeter meter, long? limit, CodebaseTools tools) : DelegatingChatClient(inner)
    {
        private long spent;

        public bool Ended { get; private set; }

        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var prompt = messages as IList<ChatMessage> ?? messages.ToList();
            var response = await base.GetResponseAsync(prompt, options, cancellationToken).ConfigureAwait(false);
            spent += meter.Measure(prompt, response).TotalTokens;
            if (limit is { } max && spent >= max && !Ended)
            {
                Ended = true;
                tools.End(string.Create(CultureInfo.InvariantCulture, $"the exploration budget of {max:N0} tokens is spent"));
            }

            return response;
        }
    }
}
