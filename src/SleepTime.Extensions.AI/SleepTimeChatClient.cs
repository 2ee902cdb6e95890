using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SleepTime.Extensions.AI;

/// <summary>
/// Sleep-time memory around any <see cref="IChatClient"/>: each call's new turns and the model's reply are appended to
/// the call's conversation (a context of an <see cref="IConversationMemory"/>: in process, or a server's); the conversation's committed learned
/// context goes first, as a system message, into the prompt of the next calls (the cache-friendly prefix: it changes
/// only when a sleep commits); sleep happens in the background. Streaming updates, tool calls and options pass
/// through untouched, in order. Recording a turn never fails or delays it: a failure is logged and the turn stands.
/// </summary>
public sealed class SleepTimeChatClient : DelegatingChatClient
{
    /// <summary>Marks the system message this client added, so an outer or repeated wrapper never records or duplicates it.</summary>
    public const string LearnedContextMarker = "sleeptime.learned_context";

    private readonly IConversationMemory memory;
    private readonly SleepTimeChatClientOptions options;
    private readonly ILogger logger;

    public SleepTimeChatClient(IChatClient innerClient, IConversationMemory memory, SleepTimeChatClientOptions? options = null, ILogger? logger = null)
        : base(innerClient)
    {
        this.memory = memory ?? throw new ArgumentNullException(nameof(memory));
        this.options = options ?? new SleepTimeChatClientOptions();
        this.logger = logger ?? NullLogger.Instance;
    }

    public IConversationMemory Memory => memory;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var conversationId = ConversationOf(request, options);
        var prompt = await WithLearnedContextAsync(conversationId, request, cancellationToken).ConfigureAwait(false);
        var response = await base.GetResponseAsync(prompt, options, cancellationToken).ConfigureAwait(false);
        await RecordAsync(conversationId, request, response.Messages).ConfigureAwait(false);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var conversationId = ConversationOf(request, options);
        var prompt = await WithLearnedContextAsync(conversationId, request, cancellationToken).ConfigureAwait(false);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(prompt, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return update;
        }

        // Only a stream that finished is a turn; an abandoned or failed one records nothing.
        await RecordAsync(conversationId, request, updates.ToChatResponse().Messages).ConfigureAwait(false);
    }

    private string ConversationOf(IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions) =>
        options.ConversationIdSelector?.Invoke(messages, chatOptions) ?? chatOptions?.ConversationId ?? options.ConversationId;

    private async ValueTask<IEnumerable<ChatMessage>> WithLearnedContextAsync(string conversationId, IReadOnlyList<ChatMessage> request, CancellationToken cancellationToken)
    {
        if (request.Any(IsLearnedContextMessage))
        {
            return request;
        }

        LearnedText? learned;
        try
        {
            learned = await memory.GetLearnedTextAsync(conversationId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The learned context of conversation {ConversationId} could not be read; the call goes without it", conversationId);
            return request;
        }

        if (learned is null)
        {
            return request;
        }

        var system = new ChatMessage(ChatRole.System, options.Template.Replace("{learned_context}", learned.Text, StringComparison.Ordinal))
        {
            AdditionalProperties = new() { [LearnedContextMarker] = learned.Version },
        };
        var prompt = new List<ChatMessage>(request.Count + 1) { system };
        prompt.AddRange(request);
        return prompt;
    }

    private async Task RecordAsync(string conversationId, IReadOnlyList<ChatMessage> request, IList<ChatMessage> response)
    {
        try
        {
            var turns = NewTurns(request).Concat(response.Select(Turn).OfType<ContextInput>()).ToList();
            await memory.AppendTurnsAsync(conversationId, turns, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A turn of conversation {ConversationId} could not be recorded for sleep-time compute", conversationId);
        }
    }

    /// <summary>What the caller added since the model last spoke: the trailing user turns (tool results are the model's own loop, not conversation).</summary>
    internal static IEnumerable<ContextInput> NewTurns(IReadOnlyList<ChatMessage> request)
    {
        var start = request.Count;
        while (start > 0 && request[start - 1].Role != ChatRole.Assistant)
        {
            start--;
        }

        for (var i = start; i < request.Count; i++)
        {
            if (request[i].Role == ChatRole.User && Turn(request[i]) is { } turn)
            {
                yield return turn;
            }
        }
    }

    private static ContextInput? Turn(ChatMessage message)
    {
        if (IsLearnedContextMessage(message) || (message.Role != ChatRole.User && message.Role != ChatRole.Assistant))
        {
            return null;
        }

        var text = message.Text;
        return string.IsNullOrWhiteSpace(text) ? null : ContextInput.Turn(message.Role.Value, text);
    }

    private static bool IsLearnedContextMessage(ChatMessage message) =>
        message.AdditionalProperties?.ContainsKey(LearnedContextMarker) == true;
}
