using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using LLama.Abstractions;
using LLama.Sampling;
using Microsoft.Extensions.AI;
using SleepTime.Providers.Local.Grammars;
using SleepTime.Providers.Local.Tools;
using SleepTime.Providers.Local.LogProbabilities;

namespace SleepTime.Providers.Local;

/// <summary>
/// A local model behind <see cref="IChatClient"/>: LLamaSharp's own chat client (on a <see cref="PooledExecutor"/>
/// and the model's chat template), wrapped to add what it lacks: exact usage from the model's tokenizer, finish
/// reasons, stop sequences, and tool calls whose JSON a grammar derived from the tools' schemas enforces.
/// </summary>
/// <remarks>
/// With tools offered (and a tool mode other than none) the reply is either one call or, in auto mode, plain text.
/// Streaming then holds back a reply that starts as a call and delivers the parsed call at the end; plain text
/// streams as usual. The last update of every stream carries the usage and the finish reason.
/// </remarks>
public sealed class LocalChatClient : DelegatingChatClient
{
    private readonly LocalModel model;
    private readonly ChatClientMetadata metadata;
    private readonly InlineTools.InlineToolSet inlineTools;
    private readonly ConcurrentDictionary<string, ToolCallGrammar> grammars = new(StringComparer.Ordinal);

    /// <summary>A client for <paramref name="model"/>, which it uses but does not own (several clients may share one model).</summary>
    /// <param name="model">The loaded model.</param>
    /// <param name="modelId">The name reported as <see cref="ChatResponse.ModelId"/>.</param>
    /// <param name="inlineTools">The tools the model may call inline, such as <see cref="InlineTools.InlineCalculator"/> for its arithmetic (never under a tool grammar).</param>
    public LocalChatClient(LocalModel model, string modelId, InlineTools.InlineToolSet inlineTools = InlineTools.InlineToolSet.None)
        : base(new PooledExecutor(model).AsChatClient(new ModelChatTemplate(model.Weights), PassThroughTextTransform.Instance))
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        this.model = model;
        this.inlineTools = inlineTools;
        ModelId = modelId;
        metadata = new ChatClientMetadata("local", new Uri(model.Settings.ModelPath), modelId);
    }

    /// <summary>The model's name.</summary>
    public string ModelId { get; }

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Prepare(messages, options);
        var inner = await base.GetResponseAsync(call.Messages, call.Options, cancellationToken).ConfigureAwait(false);
        var text = inner.Text;
        var toolCall = call.Grammar is null ? null : ToolCallFormat.TryRead(text, call.Grammar.Tools);
        var message = new ChatMessage(ChatRole.Assistant, toolCall is null ? [new TextContent(text)] : [toolCall])
        {
            MessageId = inner.Messages.LastOrDefault()?.MessageId,
        };
        return new ChatResponse(message)
        {
            ModelId = ModelId,
            CreatedAt = inner.CreatedAt,
            Usage = call.Meter.ToUsage(),
            FinishReason = toolCall is null ? call.Meter.FinishReason : ChatFinishReason.ToolCalls,
        };
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = Prepare(messages, options);
        var messageId = Guid.NewGuid().ToString("N");
        var held = new StringBuilder();

        // Under a tool grammar neither a call nor text may start with whitespace, so the first character decides:
        // a call is held back and delivered parsed at the end; text streams.
        var holdingCall = false;
        var decided = call.Grammar is null;
        await foreach (var update in base.GetStreamingResponseAsync(call.Messages, call.Options, cancellationToken).ConfigureAwait(false))
        {
            var piece = update.Text;
            if (!decided && piece.Length > 0)
            {
                decided = true;
                holdingCall = piece[0] == '{';
            }

            if (holdingCall)
            {
                held.Append(piece);
            }
            else if (piece.Length > 0)
            {
                yield return Update(messageId, new TextContent(piece));
            }
        }

        var finish = call.Meter.FinishReason;
        if (held.Length > 0)
        {
            var toolCall = ToolCallFormat.TryRead(held.ToString(), call.Grammar!.Tools);
            yield return Update(messageId, toolCall is null ? new TextContent(held.ToString()) : toolCall);
            finish = toolCall is null ? finish : ChatFinishReason.ToolCalls;
        }

        var last = Update(messageId, new UsageContent(call.Meter.ToUsage()));
        last.FinishReason = finish;
        yield return last;
    }

    /// <summary>
    /// The prompt text this client gives the model for <paramref name="messages"/>: the same message rewriting and
    /// chat template as a call, ending with the assistant's turn opened. A training corpus renders through this, so
    /// what a model is trained on is what it is later shown.
    /// </summary>
    public string RenderPrompt(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        var call = Prepare(messages, options);
        var history = new LLama.Common.ChatHistory([.. call.Messages.Select(m => new LLama.Common.ChatHistory.Message(AuthorRoleOf(m.Role), m.Text))]);
        return new ModelChatTemplate(model.Weights).HistoryToText(history);
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType == typeof(ChatClientMetadata))
            {
                return metadata;
            }

            if (serviceType == typeof(LocalModel))
            {
                return model;
            }

            if (serviceType == typeof(IPromptLogProbabilities))
            {
                return new LocalPromptLogProbabilities(model);
            }
        }

        return base.GetService(serviceType, serviceKey);
    }

    private static LLama.Common.AuthorRole AuthorRoleOf(ChatRole role) =>
        role == ChatRole.System ? LLama.Common.AuthorRole.System
        : role == ChatRole.Assistant ? LLama.Common.AuthorRole.Assistant
        : LLama.Common.AuthorRole.User;

    private ChatResponseUpdate Update(string messageId, AIContent content) => new(ChatRole.Assistant, [content])
    {
        MessageId = messageId,
        ModelId = ModelId,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private PreparedCall Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var grammar = GrammarFor(options);
        var offer = grammar is null ? null : ToolCallFormat.Describe(grammar.Tools.Values, grammar.AllowsText);
        var meter = new GenerationMeter();
        var inner = options?.Clone() ?? new ChatOptions();
        inner.Instructions = null;
        inner.Tools = null;
        inner.ToolMode = null;
        var stops = options?.StopSequences is { } s ? s.ToList() : [];
        inner.RawRepresentationFactory = _ => new LocalInferenceParams
        {
            Meter = meter,
            StopSequences = stops,
            Tools = grammar is null ? inlineTools : InlineTools.InlineToolSet.None,
            SamplingPipeline = new DefaultSamplingPipeline { Grammar = grammar is null ? null : new Grammar(grammar.Gbnf, ToolCallGrammar.Root) },
        };
        return new PreparedCall(TextMessages.From(messages, options?.Instructions, offer), inner, meter, grammar);
    }

    private ToolCallGrammar? GrammarFor(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools || options.ToolMode is NoneChatToolMode)
        {
            return null;
        }

        var required = options.ToolMode as RequiredChatToolMode;
        var offered = required?.RequiredFunctionName is { } name
            ? tools.Where(t => t.Name == name).ToList() is { Count: > 0 } named ? named : throw new ArgumentException($"The required tool '{name}' is not among the tools offered.", nameof(options))
            : tools;
        var allowText = required is null;
        var key = $"{allowText}\n" + string.Join("\n", offered.Select(t => t is AIFunctionDeclaration f ? $"{f.Name}\t{(f.JsonSchema.ValueKind == System.Text.Json.JsonValueKind.Undefined ? "" : f.JsonSchema.GetRawText())}" : $"{t.Name}\t{t.GetType().FullName}"));
        return grammars.GetOrAdd(key, _ =>
        {
            var grammar = ToolCallGrammar.For(offered, allowText);
            if (!NativeGrammarCheck.Accepts(model.Weights, grammar.Gbnf, ToolCallGrammar.Root))
            {
                throw new InvalidOperationException($"llama.cpp rejected the tool-call grammar generated for {string.Join(", ", grammar.Tools.Keys)} although it passed validation; it was not used.\n{grammar.Gbnf}");
            }

            return grammar;
        });
    }

    private sealed record PreparedCall(List<ChatMessage> Messages, ChatOptions Options, GenerationMeter Meter, ToolCallGrammar? Grammar);
}
