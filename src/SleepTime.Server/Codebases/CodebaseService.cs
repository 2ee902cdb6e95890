using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SleepTime.Providers;

namespace SleepTime.Server;

/// <summary>
/// Codebase contexts on the server: creates them (the path checked against <see cref="CodebaseOptions.Root"/>, the
/// commit resolved), moves them to a new commit, and supplies the codebase strategy to the one run pipeline
/// (<see cref="RunExecutor"/>) and the codebase task agent to the query path (<see cref="QueryService"/>).
/// </summary>
public sealed class CodebaseService(IServiceProvider services, IOptions<CodebaseOptions> options)
{
    private readonly Lazy<(CodebaseRoot? Root, string? Problem)> root = new(() => Open(options.Value.Root));

    /// <summary>The root every codebase path is under, or a validation error saying codebases are off (or the root is unusable).</summary>
    public CodebaseRoot Root => root.Value.Root ?? throw new SleepTimeValidationException("kind", root.Value.Problem!);

    /// <summary>The revision a create or a move names, checked now: outside the root, a missing repository or commit is a 400.</summary>
    public async Task<CodebaseRevision> ResolveAsync(string? path, string? commit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new SleepTimeValidationException("path", "A codebase context needs 'path': the repository's folder, relative to the server's codebase root.");
        }

        try
        {
            var codebase = await Root.OpenAsync(new CodebaseRevision(path, commit), cancellationToken).ConfigureAwait(false);
            if (commit is null && codebase.IsRepository)
            {
                codebase = await codebase.AtAsync("HEAD", cancellationToken).ConfigureAwait(false);
            }

            return await CodebaseContext.RevisionOfAsync(path, codebase, cancellationToken).ConfigureAwait(false);
        }
        catch (SleepTimeException ex) when (ex is CodebaseException or CodebasePathException)
        {
            throw new SleepTimeValidationException(commit is not null && ex is CodebaseException && ex.Message.StartsWith("The commit", StringComparison.Ordinal) ? "commit" : "path", Relative(ex.Message));
        }
    }

    /// <summary>Whether codebase contexts are on (a usable root is configured).</summary>
    public bool Enabled => root.Value.Root is not null;

    /// <summary>
    /// The revision to append to a context that reads a directory on disk when its files changed since the revision in
    /// force, with the files as they are; null when nothing changed, or the context reads a commit or is not a codebase.
    /// </summary>
    public async Task<(ContextInput Revision, CodebaseManifest Files)?> RefreshAsync(ContextSnapshot context, CancellationToken cancellationToken) =>
        context.Kind == ContextKind.Codebase && CodebaseContext.RevisionAt(context) is { Commit: null }
            ? await CodebaseContext.RefreshAsync(context, Root, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>The codebase strategy of a context's sleep; a repository that went missing skips the run with a validation error.</summary>
    public async Task<SleepResult> SleepAsync(ContextSnapshot context, LearnedContext? previous, long? remainingTokens, CancellationToken cancellationToken)
    {
        var model = services.GetKeyedService<IChatClient>(ModelRoles.Sleep) ?? throw new SleepTimeValidationException("model", "No sleep model is configured.");
        CodebaseSleepInput input;
        try
        {
            input = await CodebaseContext.SleepInputAsync(context, previous, Root, cancellationToken).ConfigureAwait(false);
        }
        catch (SleepTimeException ex) when (ex is CodebaseException or CodebasePathException)
        {
            throw new SleepTimeValidationException("codebase", Relative(ex.Message));
        }

        var settings = new CodebaseSleepOptions { MaxToolCalls = options.Value.MaxToolCalls, MaxExplorationTokens = options.Value.MaxExplorationTokens, MaxTotalTokens = remainingTokens };
        return (await new CodebaseSleep(model).RunAsync(input, previous, settings, cancellationToken).ConfigureAwait(false)).Sleep;
    }

    /// <summary>A query to a codebase context is a task answered with the read-only tools on the step budget, with the learned context unless the arm is the baseline.</summary>
    public async Task<Answer> AnswerAsync(ContextSnapshot context, LearnedContext? learned, string? question, AskOptions ask, CancellationToken cancellationToken)
    {
        var model = services.GetKeyedService<IChatClient>(ModelRoles.Test) ?? throw new SleepTimeValidationException("model", "No test model is configured.");
        if (ask.Arm == AnswerArm.ContextOnly)
        {
            throw new SleepTimeValidationException("arm", "A codebase context answers tasks: use the sleep_time or baseline arm with a question.");
        }

        var revision = CodebaseContext.RevisionAt(context) ?? throw new SleepTimeValidationException("codebase", $"Context '{context.Id}' names no repository.");
        Codebase codebase;
        try
        {
            codebase = await Root.OpenAsync(revision, cancellationToken).ConfigureAwait(false);
        }
        catch (SleepTimeException ex) when (ex is CodebaseException or CodebasePathException)
        {
            throw new SleepTimeValidationException("codebase", Relative(ex.Message));
        }

        var started = Stopwatch.GetTimestamp();
        var used = ask.Arm == AnswerArm.Baseline ? null : learned;
        var answer = await new CodebaseTaskAgent(model).AnswerAsync(codebase, question!, used, new CodebaseTaskBudget(options.Value.MaxSteps, MaxOutputTokens: ask.Budget.MaxOutputTokens), cancellationToken).ConfigureAwait(false);
        return new Answer(context.Id, question, answer.Text, answer.Files.Count > 0 ? string.Join("\n", answer.Files) : null, ask.Arm, ask.Budget, context.Version,
            used?.Version, answer.Model, "codebase-task", answer.Usage, Stopwatch.GetElapsedTime(started));
    }

    private static (CodebaseRoot?, string?) Open(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return (null, $"Codebase contexts are off on this server: set {CodebaseOptions.Section}:Root to the folder holding the repositories.");
        }

        try
        {
            return (CodebaseRoot.Under(path), null);
        }
        catch (CodebaseException)
        {
            return (null, $"Codebase contexts are off on this server: its {CodebaseOptions.Section}:Root does not exist.");
        }
    }

    /// <summary>Error messages name paths relative to the root, never the server's own folders.</summary>
    private string Relative(string message) => root.Value.Root?.Root is { } path ? message.Replace(path + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal).Replace(path, "<root>", StringComparison.Ordinal) : message;
}
