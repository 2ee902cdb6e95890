using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>One independent sleep run: a conversation with the model that ends with one memory text, or fails.</summary>
internal sealed class SleepRun(IChatClient model, UsageMeter meter, SleepOptions options, int index)
{
    private readonly List<ChatMessage> messages = [];
    private TokenUsage usage;
    private string? model_;
    private int modelCalls;
    private int rethinks;
    private int reminders;
    private int toolErrors;

    public sealed record Outcome(string? Memory, SleepRunReport Report);

    public async Task<Outcome> RunAsync(string systemPrompt, string input, string? startingMemory, CancellationToken cancellationToken)
    {
        messages.Add(new ChatMessage(ChatRole.System, systemPrompt));
        messages.Add(new ChatMessage(ChatRole.User, input));
        try
        {
            return options.Mode == SleepMode.Tools
                ? await RunWithToolsAsync(startingMemory, cancellationToken).ConfigureAwait(false)
                : await RunPlainTextAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ModelCallFailedException ex)
        {
            return Fail(SleepFailureReason.ProviderError, $"The sleep model call failed: {ex.InnerException!.Message}", finished: false);
        }
    }

    private async Task<Outcome> RunWithToolsAsync(string? startingMemory, CancellationToken cancellationToken)
    {
        var chatOptions = CreateChatOptions();
        chatOptions.Tools = SleepTools.All;
        chatOptions.ToolMode = ChatToolMode.Auto;

        string? memory = startingMemory;
        var wrote = false;
        string? lastInvalid = null;
        var maxCalls = options.MaxRethinks + options.MaxReminders + 2;

        while (modelCalls < maxCalls)
        {
            var response = await CallAsync(chatOptions, cancellationToken).ConfigureAwait(false);
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();

            if (calls.Count == 0)
            {
                if (wrote)
                {
                    // The model stopped calling tools after writing memory: take that as an implicit finish.
                    return Succeed(memory!, finished: false);
                }

                if (reminders >= options.MaxReminders)
                {
                    return lastInvalid is null
                        ? Fail(SleepFailureReason.NoToolCalls, $"The sleep model never called {SleepTools.Rethink} (reminded {reminders} times).", finished: false)
                        : Fail(InvalidReason(lastInvalid), lastInvalid, finished: false);
                }

                reminders++;
                messages.Add(new ChatMessage(ChatRole.User, PromptLibrary.Default.Get("sleep-nudge").Text));
                continue;
            }

            var results = new List<AIContent>(calls.Count);
            var finished = false;
            foreach (var call in calls)
            {
                string result;
                switch (call.Name)
                {
                    case SleepTools.Rethink when rethinks >= options.MaxRethinks:
                        result = $"Error: the limit of {options.MaxRethinks} rethinks is reached. Call {SleepTools.Finish}.";
                        toolErrors++;
                        break;
                    case SleepTools.Rethink:
                        var error = ValidateMemory(ReadNewMemory(call), out var accepted);
                        if (error is null)
                        {
                            memory = accepted;
                            wrote = true;
                            rethinks++;
                            lastInvalid = null;
                            result = $"Memory updated ({accepted!.Length} of {options.BlockLimit} characters).";
                        }
                        else
                        {
                            toolErrors++;
                            lastInvalid = error;
                            result = "Error: " + error;
                        }

                        break;
                    case SleepTools.Finish:
                        finished = true;
                        result = "Finished.";
                        break;
                    default:
                        toolErrors++;
                        result = $"Error: there is no tool '{call.Name}'. Use {SleepTools.Rethink} or {SleepTools.Finish}.";
                        break;
                }

                results.Add(new FunctionResultContent(call.CallId, result));
            }

            messages.Add(new ChatMessage(ChatRole.Tool, results));

            if (finished || rethinks >= options.MaxRethinks)
            {
                if (wrote || (finished && !string.IsNullOrWhiteSpace(memory)))
                {
                    return Succeed(memory!, finished);
                }

                return Fail(
                    lastInvalid is null ? SleepFailureReason.NoMemory : InvalidReason(lastInvalid),
                    lastInvalid ?? $"The sleep model called {SleepTools.Finish} without writing any memory.",
                    finished);
            }
        }

        return wrote
            ? Succeed(memory!, finished: false)
            : Fail(
                lastInvalid is null ? SleepFailureReason.NoMemory : InvalidReason(lastInvalid),
                lastInvalid ?? $"The sleep model made {modelCalls} calls without writing memory.",
                finished: false);
    }

    private async Task<Outcome> RunPlainTextAsync(CancellationToken cancellationToken)
    {
        var chatOptions = CreateChatOptions();
        var response = await CallAsync(chatOptions, cancellationToken).ConfigureAwait(false);
        var error = ValidateMemory(ReplyText(response), out var memory);

        if (error is not null && reminders < options.MaxReminders && memory is not null)
        {
            // Over the limit: ask once for a shorter version rather than truncating what the model worked out.
            reminders++;
            messages.Add(new ChatMessage(ChatRole.User, $"That is {memory.Length} characters; the limit is {options.BlockLimit}. Reply with a shorter version that keeps every derived quantity."));
            response = await CallAsync(chatOptions, cancellationToken).ConfigureAwait(false);
            error = ValidateMemory(ReplyText(response), out memory);
        }

        return error is null ? Succeed(memory!, finished: true) : Fail(InvalidReason(error), error, finished: true);
    }

    private async Task<ChatResponse> CallAsync(ChatOptions chatOptions, CancellationToken cancellationToken)
    {
        var prompt = messages.ToList();
        modelCalls++;
        ChatResponse response;
        try
        {
            response = await model.GetResponseAsync(prompt, chatOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Only failures of the model call become a recorded failed run; our own bugs stay loud.
            throw new ModelCallFailedException(ex);
        }

        usage += meter.Measure(prompt, response);
        model_ ??= response.ModelId;
        messages.AddRange(response.Messages);
        return response;
    }

    private ChatOptions CreateChatOptions()
    {
        var chatOptions = new ChatOptions { MaxOutputTokens = options.MaxOutputTokens };
        if (options.ReasoningEffort is { } effort)
        {
            chatOptions.Reasoning = new ReasoningOptions { Effort = effort };
        }

        return chatOptions;
    }

    private string? ValidateMemory(string? candidate, out string? memory)
    {
        memory = candidate?.Trim();
        if (string.IsNullOrEmpty(memory))
        {
            memory = null;
            return "the new memory is empty; write the complete learned context.";
        }

        if (memory.Length > options.BlockLimit)
        {
            return $"the new memory is {memory.Length} characters, over the limit of {options.BlockLimit}; write a shorter version.";
        }

        return null;
    }

    private static SleepFailureReason InvalidReason(string error) =>
        error.Contains("over the limit", StringComparison.Ordinal) || error.Contains("the limit is", StringComparison.Ordinal)
            ? SleepFailureReason.OverLimit
            : SleepFailureReason.NoMemory;

    private static string? ReadNewMemory(FunctionCallContent call)
    {
        if (call.Arguments is null || !call.Arguments.TryGetValue(SleepTools.NewMemoryArgument, out var value))
        {
            return null;
        }

        return value switch
        {
            string text => text,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
            JsonElement element => element.GetRawText(),
            null => null,
            _ => value.ToString(),
        };
    }

    private static string ReplyText(ChatResponse response) => ThinkingTags.Strip(response.Text);

    private Outcome Succeed(string memory, bool finished) =>
        new(memory, Report(succeeded: true, finished, null, null));

    private Outcome Fail(SleepFailureReason reason, string error, bool finished) =>
        new(null, Report(succeeded: false, finished, reason, error));

    private SleepRunReport Report(bool succeeded, bool finished, SleepFailureReason? reason, string? error) =>
        new(index, succeeded, modelCalls, rethinks, finished, reminders, toolErrors, usage, model_, reason, error);

    private sealed class ModelCallFailedException(Exception inner) : Exception(inner.Message, inner);
}
