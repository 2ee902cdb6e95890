using Microsoft.Extensions.Options;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// Looks every <see cref="CodebaseOptions.WatchSeconds"/> at the directories that codebase contexts read on disk and,
/// where the files changed, appends a revision through <see cref="ContextWriter"/>, so the context's schedule decides
/// as for any write and the next sleep reads only the changed files. Polling rather than file-system events: it also
/// sees what changed while the server was down, and it needs no watch handle per folder. On a cluster every node looks;
/// each appends only at the version it looked at, so a change is recorded once. A manual sleep looks first
/// (<see cref="RefreshAsync"/>), so it reads the files as they are even between looks or with watching off.
/// </summary>
public sealed class CodebaseWatcher(
    CodebaseService codebases,
    CodebaseContexts contexts,
    TenantStores stores,
    SleepScheduler scheduler,
    IOptions<CodebaseOptions> options,
    IOptions<ServerOptions> server,
    TimeProvider time,
    ILogger<CodebaseWatcher> logger) : BackgroundService
{
    private readonly TaskCompletionSource watching = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string TenantId, string ContextId), byte> full = new();
    private long passes;

    /// <summary>Completes once the clock is running: the first look comes one period after.</summary>
    public Task Watching => watching.Task;

    /// <summary>Passes completed since the start.</summary>
    public long Passes => Interlocked.Read(ref passes);

    /// <summary>Before a manual sleep: a codebase context's directory is looked at now, so the sleep reads its files as they are.</summary>
    public async Task LookBeforeSleepAsync(string tenantId, ContextSummary context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind == ContextKind.Codebase)
        {
            await RefreshAsync(tenantId, context.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Looks at every directory codebase context once; returns how many had changed.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken = default)
    {
        var changed = 0;
        foreach (var (tenantId, contextId) in await contexts.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await RefreshAsync(tenantId, contextId, cancellationToken).ConfigureAwait(false))
            {
                changed++;
            }
        }

        Interlocked.Increment(ref passes);
        return changed;
    }

    /// <summary>
    /// Looks at one context: when it reads a directory whose files changed, records the change (the schedule hears it)
    /// and returns true. Never throws for the context's own trouble (a directory gone, a write in between): that is
    /// logged, and the next look tries again.
    /// </summary>
    public async Task<bool> RefreshAsync(string tenantId, string contextId, CancellationToken cancellationToken = default)
    {
        try
        {
            var store = stores.Contexts(tenantId);
            if (await store.GetAsync(contextId, cancellationToken).ConfigureAwait(false) is not { } context
                || await codebases.RefreshAsync(context, cancellationToken).ConfigureAwait(false) is not { } refresh)
            {
                return false;
            }

            // At the version the change was worked out from: a write in between (a replace, another node) wins, and the
            // next look works it out again.
            var writer = new ContextWriter(store, scheduler, server.Value.MaxContextChars);
            var write = await writer.AppendAtAsync(contextId, [refresh.Revision], context.Version, cancellationToken).ConfigureAwait(false);
            if (write.Outcome == ContextWriteOutcome.TooLarge)
            {
                // The revisions filled the context: start it over with one revision of every file and its documents, at
                // the version looked at. The learned context stays, and the next sleep explores again from it. Only when
                // that leaves room for at least as many revisions again: otherwise every look would start it over.
                var compacted = CodebaseContext.Compacted(context, refresh.Files);
                if (compacted.Sum(c => (long)c.Text.Length) > server.Value.MaxContextChars / 2)
                {
                    if (full.TryAdd((tenantId, contextId), 0))
                    {
                        logger.LogWarning("Codebase context {ContextId} (tenant {TenantId}) is full: its files and documents alone take more than half of {Limit:N0} characters ({Setting}:MaxContextChars), so changes on disk are no longer recorded.", contextId, tenantId, server.Value.MaxContextChars, ServerOptions.Section);
                    }

                    return false;
                }

                logger.LogInformation("Codebase context {ContextId} (tenant {TenantId}) is full of revisions; starting it over with the files as they are.", contextId, tenantId);
                write = await writer.ReplaceAtAsync(contextId, compacted, context.Version, cancellationToken).ConfigureAwait(false);
            }

            switch (write.Outcome)
            {
                case ContextWriteOutcome.Written:
                    return true;
                case ContextWriteOutcome.Conflict or ContextWriteOutcome.NotFound:
                    logger.LogDebug("Codebase context {ContextId} (tenant {TenantId}) changed while it was looked at: {Problem}", contextId, tenantId, write.Problem);
                    return false;
                default:
                    logger.LogWarning("Could not record the changed files of codebase context {ContextId} (tenant {TenantId}): {Problem}", contextId, tenantId, write.Problem);
                    return false;
            }
        }
        catch (SleepTimeException ex) when (ex is CodebaseException or CodebasePathException or SleepTimeValidationException or ContextNotFoundException)
        {
            logger.LogWarning("Codebase context {ContextId} (tenant {TenantId}) cannot be read: {Reason}", contextId, tenantId, ex.Message);
            return false;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // One context's failure (a database error, a bad entry) never stops the look at the others.
            logger.LogError(ex, "Looking at codebase context {ContextId} (tenant {TenantId}) failed.", contextId, tenantId);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.WatchSeconds <= 0 || !codebases.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.WatchSeconds), time);
        watching.TrySetResult();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await ScanAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Looking at the codebase directories failed; trying again in {Seconds} s.", options.Value.WatchSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
