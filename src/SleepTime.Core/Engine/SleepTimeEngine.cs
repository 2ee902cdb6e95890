using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// Sleep-time compute in a few calls: add a context, let it <see cref="SleepAsync"/> (<c>S(c) -> c'</c>), then
/// <see cref="AskAsync(string, string, AskOptions?, CancellationToken)"/> questions answered on a small budget
/// from the learned context (<c>T_b(q, c')</c>). The sleep and test phases may use different models.
/// </summary>
public sealed class SleepTimeEngine
{
    private readonly SleepPhase sleepPhase;
    private readonly TestPhase testPhase;
    private readonly SleepOptions defaultSleep;
    private readonly AskOptions defaultAsk;

    public SleepTimeEngine(IChatClient sleepModel, IChatClient testModel, SleepTimeEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sleepModel);
        ArgumentNullException.ThrowIfNull(testModel);
        options ??= new SleepTimeEngineOptions();

        var memory = options.Contexts is null || options.LearnedContexts is null ? new InMemoryContextStore(options.TimeProvider) : null;
        Contexts = options.Contexts ?? (options.LearnedContexts as IContextStore) ?? memory!;
        LearnedContexts = options.LearnedContexts ?? (options.Contexts as ILearnedContextStore) ?? memory!;
        var counter = options.TokenCounter ?? O200kTokenCounter.Instance;
        sleepPhase = new SleepPhase(sleepModel, counter, options.Prompts, options.TimeProvider);
        testPhase = new TestPhase(testModel, counter, options.Prompts);
        defaultSleep = options.Sleep;
        defaultAsk = options.Ask;
        defaultSleep.Validate();
    }

    /// <summary>An engine that uses one model for both phases.</summary>
    public static SleepTimeEngine Create(IChatClient model, SleepTimeEngineOptions? options = null) => new(model, model, options);

    public IContextStore Contexts { get; }

    public ILearnedContextStore LearnedContexts { get; }

    public Task<ContextSnapshot> AddDocumentAsync(string text, string? id = null, CancellationToken cancellationToken = default) =>
        Contexts.CreateAsync(ContextKind.Document, [ContextInput.Document(text)], id, cancellationToken);

    public Task<ContextSnapshot> AddConversationAsync(IEnumerable<ContextInput> turns, string? id = null, CancellationToken cancellationToken = default) =>
        Contexts.CreateAsync(ContextKind.Conversation, turns.ToList(), id, cancellationToken);

    /// <summary>Appends text to a document context.</summary>
    public Task<ContextSnapshot> AppendAsync(string contextId, string text, CancellationToken cancellationToken = default) =>
        Contexts.AppendAsync(contextId, [ContextInput.Document(text)], cancellationToken);

    /// <summary>Appends turns to a conversation context.</summary>
    public Task<ContextSnapshot> AppendAsync(string contextId, IEnumerable<ContextInput> content, CancellationToken cancellationToken = default) =>
        Contexts.AppendAsync(contextId, content.ToList(), cancellationToken);

    public Task<LearnedContext?> GetLearnedContextAsync(string contextId, CancellationToken cancellationToken = default) =>
        LearnedContexts.GetCurrentAsync(contextId, cancellationToken);

    /// <summary>
    /// Runs the sleep phase on the context's current version and commits the new learned context atomically. A
    /// failed, conflicting or cancelled sleep leaves the previous learned context exactly as it was.
    /// </summary>
    public async Task<SleepResult> SleepAsync(string contextId, SleepOptions? options = null, CancellationToken cancellationToken = default)
    {
        var context = await GetContextAsync(contextId, cancellationToken).ConfigureAwait(false);
        var previous = await LearnedContexts.GetCurrentAsync(contextId, cancellationToken).ConfigureAwait(false);
        var result = await sleepPhase.RunAsync(context, previous, options ?? defaultSleep, cancellationToken).ConfigureAwait(false);
        if (result.Status != SleepStatus.Succeeded)
        {
            return result;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!await LearnedContexts.TryCommitAsync(result.LearnedContext!, previous?.Version, cancellationToken).ConfigureAwait(false))
        {
            return result with
            {
                Status = SleepStatus.Failed,
                LearnedContext = null,
                FailureReason = SleepFailureReason.Conflict,
                Error = "Another sleep committed a newer learned context first; this result was discarded.",
            };
        }

        return result;
    }

    public async Task<Answer> AskAsync(string contextId, string question, AskOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= defaultAsk;
        if (options.Arm != AnswerArm.ContextOnly && string.IsNullOrWhiteSpace(question))
        {
            throw new SleepTimeValidationException("question", "The question must not be empty.");
        }

        var context = await GetContextAsync(contextId, cancellationToken).ConfigureAwait(false);
        var learned = options.Arm == AnswerArm.Baseline
            ? null
            : await LearnedContexts.GetCurrentAsync(contextId, cancellationToken).ConfigureAwait(false);
        return await testPhase.AnswerAsync(context, learned, question, options, cancellationToken).ConfigureAwait(false);
    }

    public Task<Answer> AskAsync(string contextId, string question, AnswerBudget budget, CancellationToken cancellationToken = default) =>
        AskAsync(contextId, question, defaultAsk with { Budget = budget }, cancellationToken);

    private async Task<ContextSnapshot> GetContextAsync(string contextId, CancellationToken cancellationToken) =>
        await Contexts.GetAsync(contextId, cancellationToken).ConfigureAwait(false) ?? throw new ContextNotFoundException(contextId);
}
