using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SleepTime.Extensions.AI;

/// <summary>
/// Sleep-time memory for an app's conversations, in the process: each conversation is a context (a
/// <see cref="ContextKind.Conversation"/> in an <see cref="IContextStore"/>), a background sleep
/// (<see cref="SleepTimeEngine.SleepAsync"/>, the paper's <c>S(c) -> c'</c>) writes its learned context, and the
/// committed learned context is read back without a model call. Appending a turn never waits for a sleep: the
/// <see cref="Scheduler"/> decides when to sleep and runs it in the background, one run at a time per conversation.
/// One memory may serve several chat clients or agents; a conversation id names what they share.
/// </summary>
public sealed class SleepTimeMemory : IConversationMemory, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, LearnedContext> committed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> known = new(StringComparer.Ordinal);
    private readonly ILogger logger;

    /// <param name="sleepModel">The model that studies conversations while the app is idle.</param>
    public SleepTimeMemory(IChatClient sleepModel, SleepTimeMemoryOptions? options = null, ILogger<SleepTimeMemory>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sleepModel);
        Options = options ?? new SleepTimeMemoryOptions();
        Options.Schedule.Validate();
        this.logger = logger ?? NullLogger<SleepTimeMemory>.Instance;
        var memory = Options.Contexts is null || Options.LearnedContexts is null ? new InMemoryContextStore(Options.TimeProvider) : null;
        Contexts = Options.Contexts ?? (Options.LearnedContexts as IContextStore) ?? memory!;
        LearnedContexts = Options.LearnedContexts ?? (Options.Contexts as ILearnedContextStore) ?? memory!;
        Engine = new SleepTimeEngine(sleepModel, sleepModel, new SleepTimeEngineOptions
        {
            Contexts = Contexts,
            LearnedContexts = LearnedContexts,
            TokenCounter = Options.TokenCounter,
            Prompts = Options.Prompts,
            TimeProvider = Options.TimeProvider,
        });
        Scheduler = new BackgroundContextScheduler(this, Options.TimeProvider ?? TimeProvider.System, this.logger);
    }

    public SleepTimeMemoryOptions Options { get; }

    public IContextStore Contexts { get; }

    public ILearnedContextStore LearnedContexts { get; }

    /// <summary>The engine whose <see cref="SleepTimeEngine.SleepAsync"/> the background runs call.</summary>
    public SleepTimeEngine Engine { get; }

    /// <summary>Decides when conversations sleep and keeps their runs.</summary>
    public BackgroundContextScheduler Scheduler { get; }

    /// <summary>A learned context was committed by a background run.</summary>
    public event Action<LearnedContext>? LearnedContextCommitted;

    /// <summary>
    /// The committed learned context of a conversation, or null before its first sleep. Served from memory once
    /// read (refreshed by every commit of this memory): no model call, and no store read after the first.
    /// </summary>
    public ValueTask<LearnedContext?> GetLearnedContextAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        if (committed.TryGetValue(conversationId, out var learned))
        {
            return ValueTask.FromResult<LearnedContext?>(learned);
        }

        return LoadAsync(conversationId, cancellationToken);
    }

    async ValueTask<LearnedText?> IConversationMemory.GetLearnedTextAsync(string conversationId, CancellationToken cancellationToken) =>
        await GetLearnedContextAsync(conversationId, cancellationToken).ConfigureAwait(false) is { } learned ? new LearnedText(learned.Version, learned.Render()) : null;

    Task IConversationMemory.AppendTurnsAsync(string conversationId, IReadOnlyList<ContextInput> turns, CancellationToken cancellationToken) =>
        AppendAsync(conversationId, turns, cancellationToken);

    /// <summary>
    /// Appends turns to the conversation (creating it on its first turn) and lets the scheduler decide whether a
    /// sleep follows; never waits for one.
    /// </summary>
    public async Task<ContextSnapshot?> AppendAsync(string conversationId, IReadOnlyList<ContextInput> turns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var content = turns.Where(t => !string.IsNullOrWhiteSpace(t.Text)).ToList();
        if (content.Count == 0)
        {
            return null;
        }

        ContextSnapshot snapshot;
        if (known.ContainsKey(conversationId) || await Contexts.GetAsync(conversationId, cancellationToken).ConfigureAwait(false) is not null)
        {
            snapshot = await Contexts.AppendAsync(conversationId, content, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            try
            {
                snapshot = await Contexts.CreateAsync(ContextKind.Conversation, content, conversationId, cancellationToken).ConfigureAwait(false);
            }
            catch (SleepTimeValidationException)
            {
                // Another turn created it first (otherwise the append fails saying what is wrong).
                snapshot = await Contexts.AppendAsync(conversationId, content, cancellationToken).ConfigureAwait(false);
            }
        }

        known.TryAdd(conversationId, 0);
        await Scheduler.OnSourcesChangedAsync(SleeperKind.Context, conversationId, cancellationToken).ConfigureAwait(false);
        return snapshot;
    }

    /// <summary>Every run of this memory, newest first; with a conversation id, only that conversation's.</summary>
    public IReadOnlyList<RunRecord> Runs(string? conversationId = null) => Scheduler.Runs(conversationId);

    /// <summary>Completes once no run is queued (a debounced one included) or running (for tests, samples and shutdown).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default) => Scheduler.WhenIdleAsync(cancellationToken);

    public ValueTask DisposeAsync() => Scheduler.DisposeAsync();

    internal void OnCommitted(LearnedContext learned)
    {
        committed.AddOrUpdate(learned.ContextId, learned, (_, current) => current.Version >= learned.Version ? current : learned);
        try
        {
            LearnedContextCommitted?.Invoke(learned);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A LearnedContextCommitted handler failed");
        }
    }

    private async ValueTask<LearnedContext?> LoadAsync(string conversationId, CancellationToken cancellationToken)
    {
        var learned = await LearnedContexts.GetCurrentAsync(conversationId, cancellationToken).ConfigureAwait(false);
        if (learned is not null)
        {
            committed.AddOrUpdate(conversationId, learned, (_, current) => current.Version >= learned.Version ? current : learned);
        }

        return learned;
    }
}
