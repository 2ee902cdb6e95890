using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// The test phase <c>T_b(q, c')</c>: answers a query on a small budget using the learned context.
/// The prompt puts everything that is the same for every query on a context first — instructions, <c>c'</c>,
/// <c>c</c> — and the question last, so provider prompt caches hit across queries.
/// </summary>
public sealed class TestPhase
{
    private readonly IChatClient model;
    private readonly UsageMeter meter;
    private readonly PromptLibrary prompts;
    private readonly string[] systemWithLearned;
    private readonly string[] systemWithoutLearned;
    private readonly string chatSystemWithLearned;
    private readonly string chatSystemWithoutLearned;
    private readonly string contextOnlyInstruction;
    private readonly string promptName;

    public TestPhase(IChatClient model, ITokenCounter? tokenCounter = null, PromptLibrary? prompts = null)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        meter = new UsageMeter(tokenCounter ?? O200kTokenCounter.Instance);
        this.prompts = prompts ?? PromptLibrary.Default;

        var answer = this.prompts.Get("answer");
        var note = this.prompts.Get("answer-learned-note").Text;
        var levels = Enumerable.Range(AnswerBudget.MinVerbosity, AnswerBudget.MaxVerbosity + 1)
            .Select(level => this.prompts.Get($"answer-level-{level}").Text)
            .ToArray();
        systemWithLearned = levels.Select(l => answer.Render(("learned_context_note", note), ("verbosity", l))).ToArray();
        systemWithoutLearned = levels.Select(l => answer.Render(("learned_context_note", string.Empty), ("verbosity", l))).ToArray();
        contextOnlyInstruction = this.prompts.Get("answer-context-only").Text;
        chatSystemWithLearned = answer.Render(("learned_context_note", note), ("verbosity", string.Empty)).TrimEnd();
        chatSystemWithoutLearned = answer.Render(("learned_context_note", string.Empty), ("verbosity", string.Empty)).TrimEnd();
        promptName = answer.ToString();
    }

    public async Task<Answer> AnswerAsync(ContextSnapshot context, LearnedContext? learned, string? question, AskOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        options ??= AskOptions.Default;
        if (options.Arm != AnswerArm.ContextOnly && string.IsNullOrWhiteSpace(question))
        {
            throw new SleepTimeValidationException("question", "The question must not be empty.");
        }

        if (!Enum.IsDefined(options.Arm))
        {
            throw new SleepTimeValidationException("arm", $"Answer arm '{options.Arm}' is unknown.");
        }

        var useLearned = options.Arm != AnswerArm.Baseline ? learned : null;
        var includeRaw = options.Arm == AnswerArm.Baseline || options.IncludeRawContext || useLearned is null;
        var budget = options.Budget;

        var system = (useLearned is null ? systemWithoutLearned : systemWithLearned)[budget.Verbosity];
        var prefix = BuildPrefix(useLearned, includeRaw ? context : null);
        var last = options.Arm == AnswerArm.ContextOnly ? contextOnlyInstruction : "Question: " + question!.Trim();

        List<ChatMessage> messages =
        [
            new(ChatRole.System, system),
            new(ChatRole.User, [new TextContent(prefix), new TextContent(last)]),
        ];
        var chatOptions = new ChatOptions { MaxOutputTokens = budget.MaxOutputTokens };
        if (budget.ReasoningEffort is { } effort)
        {
            chatOptions.Reasoning = new ReasoningOptions { Effort = effort };
        }

        var started = Stopwatch.GetTimestamp();
        var response = await model.GetResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false);
        var latency = Stopwatch.GetElapsedTime(started);
        var text = response.Text;

        return new Answer(
            context.Id,
            options.Arm == AnswerArm.ContextOnly ? null : question,
            text,
            FinalAnswerExtractor.Extract(text),
            options.Arm,
            budget,
            context.Version,
            useLearned?.Version,
            response.ModelId,
            promptName,
            meter.Measure(messages, response),
            latency);
    }

    /// <summary>
    /// Answers a client's own chat (the OpenAI-compatible facade): one system message holds the instructions, the
    /// learned context and the raw context, the same for every query on the context so provider prompt caches hit;
    /// the client's messages and options follow unchanged.
    /// </summary>
    public async Task<ChatReply> ChatAsync(ContextSnapshot context, LearnedContext? learned, ClientChat chat, CancellationToken cancellationToken = default)
    {
        var (messages, budget) = ChatPrompt(context, learned, chat);
        var started = Stopwatch.GetTimestamp();
        var response = await model.GetResponseAsync(messages, chat.Options, cancellationToken).ConfigureAwait(false);
        return Reply(context, learned, chat, messages, budget, response, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// The streaming form of <see cref="ChatAsync"/>: yields each model chunk the moment it arrives, then, once the
    /// model has finished, one final update with the completed reply. A stream that fails or is abandoned never
    /// yields the final update.
    /// </summary>
    public async IAsyncEnumerable<AnswerUpdate> ChatStreamingAsync(ContextSnapshot context, LearnedContext? learned, ClientChat chat, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (messages, budget) = ChatPrompt(context, learned, chat);
        var started = Stopwatch.GetTimestamp();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in model.GetStreamingResponseAsync(messages, chat.Options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return AnswerUpdate.Of(update);
        }

        var latency = Stopwatch.GetElapsedTime(started);
        yield return AnswerUpdate.Done(Reply(context, learned, chat, messages, budget, updates.ToChatResponse(), latency));
    }

    private (List<ChatMessage> Messages, AnswerBudget Budget) ChatPrompt(ContextSnapshot context, LearnedContext? learned, ClientChat chat)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(chat);
        if (string.IsNullOrWhiteSpace(chat.Question))
        {
            throw new SleepTimeValidationException("question", "The question must not be empty.");
        }

        var budget = new AnswerBudget(chat.Verbosity ?? AnswerBudget.Default.Verbosity, chat.Options?.MaxOutputTokens, chat.Options?.Reasoning?.Effort);
        var instructions = chat.Verbosity is { } level
            ? (learned is null ? systemWithoutLearned : systemWithLearned)[level]
            : learned is null ? chatSystemWithoutLearned : chatSystemWithLearned;
        List<ChatMessage> messages = [new(ChatRole.System, instructions + "\n\n" + BuildPrefix(learned, context).TrimEnd())];
        messages.AddRange(chat.Messages);
        return (messages, budget);
    }

    private ChatReply Reply(ContextSnapshot context, LearnedContext? learned, ClientChat chat, List<ChatMessage> messages, AnswerBudget budget, ChatResponse response, TimeSpan latency)
    {
        var text = response.Text;
        return new ChatReply(new Answer(
            context.Id,
            chat.Question,
            text,
            FinalAnswerExtractor.Extract(text),
            AnswerArm.SleepTime,
            budget,
            context.Version,
            learned?.Version,
            response.ModelId,
            promptName,
            meter.Measure(messages, response),
            latency), response);
    }

    private static string BuildPrefix(LearnedContext? learned, ContextSnapshot? context)
    {
        var learnedText = learned?.Render();
        var contextText = context?.Render();
        return (learnedText, contextText) switch
        {
            (not null, not null) => $"<learned_context>\n{learnedText}\n</learned_context>\n\n<context>\n{contextText}\n</context>\n\n",
            (not null, null) => $"<learned_context>\n{learnedText}\n</learned_context>\n\n",
            (null, not null) => $"<context>\n{contextText}\n</context>\n\n",
            _ => string.Empty,
        };
    }
}
