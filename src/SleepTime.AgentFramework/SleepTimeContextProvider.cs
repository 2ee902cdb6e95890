using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SleepTime.Extensions.AI;

namespace SleepTime.AgentFramework;

/// <summary>
/// Sleep-time memory for Agent Framework agents. Before a turn it supplies the committed learned context of the
/// session's conversation as instructions: a read of what the last sleep committed, with no model call and no wait
/// for a sleep. After a turn it appends the exchange to that conversation and lets the memory's scheduler decide when
/// to sleep; the sleep runs in the background. The memory is in process (<see cref="SleepTimeMemory"/>) or a running
/// server's (<see cref="SleepTime.Extensions.AI.Remote.RemoteConversationMemory"/>, through the typed client). A failed or slow sleep never fails or delays a turn, and a turn whose
/// recording fails still stands (the failure is logged). The conversation id lives in the session's state, so a
/// serialized session resumes the same memory; <see cref="SleepTimeContextProviderOptions.SharedMemoryId"/> shares one
/// memory between sessions and agents.
/// </summary>
public sealed class SleepTimeContextProvider : AIContextProvider
{
    private readonly IConversationMemory memory;
    private readonly SleepTimeContextProviderOptions options;
    private readonly ProviderSessionState<SessionState> state;
    private readonly ILogger logger;

    public SleepTimeContextProvider(IConversationMemory memory, SleepTimeContextProviderOptions? options = null, ILogger<SleepTimeContextProvider>? logger = null)
    {
        this.memory = memory ?? throw new ArgumentNullException(nameof(memory));
        this.options = options ?? new SleepTimeContextProviderOptions();
        this.logger = logger ?? NullLogger<SleepTimeContextProvider>.Instance;
        state = new ProviderSessionState<SessionState>(
            session => new SessionState { ConversationId = this.options.NewConversationId?.Invoke(session) ?? "session_" + Guid.NewGuid().ToString("N") },
            this.options.StateKey,
            SleepTimeAgentFrameworkJson.Default.Options);
    }

    public override IReadOnlyList<string> StateKeys => [options.StateKey];

    /// <summary>The memory: a <see cref="SleepTimeMemory"/> in process, or a <see cref="SleepTime.Extensions.AI.Remote.RemoteConversationMemory"/> of a server.</summary>
    public IConversationMemory Memory => memory;

    /// <summary>The conversation a session reads and writes (the shared memory's id when one is set).</summary>
    public string ConversationIdOf(AgentSession? session)
    {
        if (options.SharedMemoryId is { } shared)
        {
            return shared;
        }

        if (session is null)
        {
            throw new InvalidOperationException("A SleepTimeContextProvider without a shared memory id needs a session to keep its conversation in.");
        }

        var current = state.GetOrInitializeState(session);
        state.SaveState(session, current);
        return current.ConversationId;
    }

    protected override async ValueTask<AIContext> ProvideAIContextAsync(InvokingContext context, CancellationToken cancellationToken = default)
    {
        LearnedText? learned;
        try
        {
            learned = await memory.GetLearnedTextAsync(ConversationIdOf(context.Session), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The learned context could not be read; the turn goes without it");
            return new AIContext();
        }

        return learned is null
            ? new AIContext()
            : new AIContext { Instructions = options.Template.Replace("{learned_context}", learned.Text, StringComparison.Ordinal) };
    }

    protected override async ValueTask StoreAIContextAsync(InvokedContext context, CancellationToken cancellationToken = default)
    {
        if (context.InvokeException is not null)
        {
            return;
        }

        try
        {
            var turns = context.RequestMessages.Concat(context.ResponseMessages ?? [])
                .Where(m => m.Role == ChatRole.User || m.Role == ChatRole.Assistant)
                .Where(m => !string.IsNullOrWhiteSpace(m.Text))
                .Select(m => ContextInput.Turn(m.Role.Value, m.Text))
                .ToList();
            await memory.AppendTurnsAsync(ConversationIdOf(context.Session), turns, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A turn could not be recorded for sleep-time compute; the turn stands");
        }
    }

    /// <summary>What a session keeps: the id of its conversation in the memory.</summary>
    public sealed class SessionState
    {
        public string ConversationId { get; set; } = "";
    }
}
