using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// Test-time answering over a codebase (<c>T_b(q, c')</c> for code): a task such as "which files must change to add
/// X?" answered with the read-only <see cref="CodebaseTools"/> on a budget of steps and tokens, with the learned context
/// in the prompt or without it (the baseline). The last step answers without tools; the answer's files are parsed.
/// </summary>
public sealed class CodebaseTaskAgent
{
    private readonly IChatClient model;
    private readonly UsageMeter meter;

    public CodebaseTaskAgent(IChatClient model, ITokenCounter? tokenCounter = null)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        meter = new UsageMeter(tokenCounter ?? O200kTokenCounter.Instance);
    }

    public async Task<CodebaseTaskAnswer> AnswerAsync(Codebase codebase, string task, LearnedContext? learned = null, CodebaseTaskBudget? budget = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codebase);
        if (string.IsNullOrWhiteSpace(task))
        {
            throw new SleepTimeValidationException("question", "The task must not be empty.");
        }

        budget ??= new CodebaseTaskBudget();
        budget.Validate();
        var note = learned is null ? string.Empty : CodebasePrompts.Render(CodebasePrompts.LearnedNote, ("learned_context", learned.Render()));
        var tools = new CodebaseTools(codebase);
        var functions = tools.All.OfType<AIFunction>().ToDictionary(f => f.Name, StringComparer.Ordinal);
        var metered = new MeteredChatClient(model, meter, new TokenBudget(budget.MaxTokens));
        List<ChatMessage> messages =
        [
            new(ChatRole.System, CodebasePrompts.Render(CodebasePrompts.Task, ("learned_note", note))),
            new(ChatRole.User, "Task: " + task.Trim()),
        ];
        var text = string.Empty;
        string? stoppedBy = null;
        var toolCalls = 0;
        try
        {
            for (var step = 1; step <= budget.MaxSteps; step++)
            {
                var last = step == budget.MaxSteps;
                if (last && step > 1)
                {
                    messages.Add(new ChatMessage(ChatRole.User, CodebasePrompts.TaskFinal));
                }

                var options = new ChatOptions { MaxOutputTokens = budget.MaxOutputTokens, Tools = last ? null : tools.All, ToolMode = last ? null : ChatToolMode.Auto };
                var response = await metered.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
                messages.AddRange(response.Messages);
                var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
                text = response.Text;
                if (calls.Count == 0 || last)
                {
                    break;
                }

                var results = new List<AIContent>();
                foreach (var call in calls)
                {
                    toolCalls++;
                    var result = functions.TryGetValue(call.Name, out var function)
                        ? await function.InvokeAsync(new AIFunctionArguments(call.Arguments ?? new Dictionary<string, object?>()), cancellationToken).ConfigureAwait(false)
                        : SleepTool.Error($"there is no tool '{call.Name}'.");
                    results.Add(new FunctionResultContent(call.CallId, result));
                }

                messages.Add(new ChatMessage(ChatRole.Tool, results));
            }
        }
        catch (SleepLoopStoppedException ex)
        {
            stoppedBy = ex.Reason.ToCode();
        }

        text = ThinkingTags.Strip(text);
        return new CodebaseTaskAnswer(task, text, AnswerFiles.Parse(text), metered.Calls, toolCalls, metered.Usage, learned?.Version, metered.ModelId, stoppedBy);
    }
}
