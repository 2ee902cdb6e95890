using Microsoft.Extensions.Options;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// Looks every <see cref="CodebaseOptions.WatchSeconds"/> at the directories that codebase contexts read on disk and,
/// where the files changed, appends a revision through <see cref="ContextWriter"/>, so the context's schedule decides
/// as for any write and the next sleep reads only the changed files. Polling rather than file-system events: it also
/// sees what changed while the server was down, and it needs no watch handle per folder. On a cluster every node looks;
/// a change two nodes record at once gives a second revision with nothing new, whose sleep is skipped.
/// </summary>
public sealed class CodebaseWatcher(
    CodebaseService codebases,
    SleeperSchedules schedules,
    TenantStores stores,
    SleepScheduler scheduler,
    IOptions<CodebaseOptions> options,
    IOptions<ServerOptions> server,
    TimeProvider time,
    ILogger<CodebaseWatcher> logger) : BackgroundService
{
    private readonly TaskCompletionSource watching = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long passes;

    /// <summary>Completes once the clock is running: the first look comes one period after.</summary>
    public Task Watching => watching.Task;

    /// <summary>Passes completed since the start.</summary>
    public long Passes => Interlocked.Read(ref passes);

    /// <summary>Looks at every directory codebase context once; returns how many had changed.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken = default)
    {
        var changed = 0;
        foreach (var (tenantId, contextId) in await schedules.ListCodebasesAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var store = stores.Contexts(tenantId);
                if (await store.GetAsync(contextId, cancellationToken).ConfigureAwait(false) is not { } context
                    || await codebases.RefreshAsync(context, cancellationToken).ConfigureAwait(false) is not { } revision)
                {
                    continue;
                }

                var write = await new ContextWriter(store, scheduler, server.Value.MaxContextChars).AppendAsync(contextId, [revision], cancellationToken: cancellationToken).ConfigureAwait(false);
                if (write.Problem is { } problem)
                {
                    logger.LogWarning("Could not record the changed files of codebase context {ContextId} (tenant {TenantId}): {Problem}", contextId, tenantId, problem);
                    continue;
                }

                changed++;
            }
            catch (SleepTimeException ex) when (ex is CodebaseException or CodebasePathException or SleepTimeValidationException)
            {
                logger.LogWarning("Codebase context {ContextId} (tenant {TenantId}) cannot be read: {Reason}", contextId, tenantId, ex.Message);
            }
        }

        Interlocked.Increment(ref passes);
        return changed;
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
