namespace SleepTime;

/// <summary>
/// A codebase context's sleep in the library: reads the context and its learned context from the stores, runs
/// <see cref="CodebaseSleep"/> and commits the result with the same compare-and-swap as any learned context.
/// </summary>
public sealed class CodebaseSleeper(IContextStore contexts, ILearnedContextStore learnedContexts, CodebaseSleep sleep, CodebaseRoot? root = null)
{
    private readonly CodebaseRoot root = root ?? CodebaseRoot.Anywhere();

    /// <summary>Creates a codebase context reading <paramref name="path"/> at <paramref name="commit"/> (checked now: a missing repository or commit is an error).</summary>
    public async Task<ContextSnapshot> CreateAsync(string path, string? commit = null, IEnumerable<CodebaseDocument>? documents = null, string? id = null, CancellationToken cancellationToken = default)
    {
        var codebase = await root.OpenAsync(new CodebaseRevision(path, commit), cancellationToken).ConfigureAwait(false);
        if (commit is null && codebase.IsRepository)
        {
            codebase = await codebase.AtAsync("HEAD", cancellationToken).ConfigureAwait(false);
        }

        var revision = await CodebaseContext.RevisionOfAsync(path, codebase, cancellationToken).ConfigureAwait(false);
        List<ContextInput> content = [CodebaseContext.Revision(revision), .. (documents ?? []).Select(CodebaseContext.Document)];
        return await contexts.CreateAsync(ContextKind.Codebase, content, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves the context to a new commit: the next sleep reads only the diff since the commit its learned context was written for.</summary>
    public async Task<ContextSnapshot> MoveToAsync(string contextId, string commit, CancellationToken cancellationToken = default)
    {
        var context = await contexts.GetAsync(contextId, cancellationToken).ConfigureAwait(false) ?? throw new ContextNotFoundException(contextId);
        var current = CodebaseContext.RevisionAt(context) ?? throw new SleepTimeValidationException("codebase", $"Context '{contextId}' names no repository.");
        var codebase = await root.OpenAsync(current with { Commit = commit }, cancellationToken).ConfigureAwait(false);
        return await contexts.AppendAsync(contextId, [CodebaseContext.Revision(current with { Commit = codebase.Commit })], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// For a context reading a directory on disk: records what its files are now when they changed since the revision
    /// in force, so the next sleep reads only the changed files. Returns the context after the write, or null when
    /// nothing changed (or the context reads a commit).
    /// </summary>
    public async Task<ContextSnapshot?> RefreshAsync(string contextId, CancellationToken cancellationToken = default)
    {
        var context = await contexts.GetAsync(contextId, cancellationToken).ConfigureAwait(false) ?? throw new ContextNotFoundException(contextId);
        return await CodebaseContext.RefreshAsync(context, root, cancellationToken).ConfigureAwait(false) is { } refresh
            ? await contexts.AppendAsync(contextId, [refresh.Revision], cancellationToken).ConfigureAwait(false)
            : null;
    }

    public async Task<ContextSnapshot> AddDocumentAsync(string contextId, CodebaseDocument document, CancellationToken cancellationToken = default) =>
        await contexts.AppendAsync(contextId, [CodebaseContext.Document(document)], cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Sleeps over the context and commits the learned context; a failed or conflicting sleep leaves the previous one as
    /// it was. A directory is refreshed first (<see cref="RefreshAsync"/>), so the sleep reads the files as they are.
    /// </summary>
    public async Task<CodebaseSleepResult> SleepAsync(string contextId, CodebaseSleepOptions? options = null, CancellationToken cancellationToken = default)
    {
        await RefreshAsync(contextId, cancellationToken).ConfigureAwait(false);
        var context = await contexts.GetAsync(contextId, cancellationToken).ConfigureAwait(false) ?? throw new ContextNotFoundException(contextId);
        var previous = await learnedContexts.GetCurrentAsync(contextId, cancellationToken).ConfigureAwait(false);
        var input = await CodebaseContext.SleepInputAsync(context, previous, root, cancellationToken).ConfigureAwait(false);
        var result = await sleep.RunAsync(input, previous, options, cancellationToken).ConfigureAwait(false);
        if (result.Sleep.Status != SleepStatus.Succeeded)
        {
            return result;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return await learnedContexts.TryCommitAsync(result.Sleep.LearnedContext!, previous?.Version, cancellationToken).ConfigureAwait(false)
            ? result
            : result with
            {
                Sleep = result.Sleep with
                {
                    Status = SleepStatus.Failed,
                    LearnedContext = null,
                    FailureReason = SleepFailureReason.Conflict,
                    Error = "Another sleep committed a newer learned context first; this result was discarded.",
                },
            };
    }
}
