using System.Diagnostics;
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
