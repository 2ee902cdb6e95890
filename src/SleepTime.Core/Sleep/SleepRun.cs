using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>One independent sleep run of the paper's strategy: a conversation that ends with one memory text, or fails.</summary>
internal sealed class SleepRun(IChatClient model, UsageMeter meter, TokenBudget budget, SleepOptions options, int index)
{
    public sealed record Outcome(string? Memory, SleepRunReport Report);

    public Task<Outcome> RunAsync(string systemPrompt, string input, string? startingMemory, CancellationToken cancellationToken)
    {
        ChatMessage[] messages = [new(ChatRole.System, systemPrompt), new(ChatRole.User, input)];
        var chatOptions = new ChatOptions { MaxOutputTokens = options.MaxOutputTokens, Reasoning = options.ReasoningEffort is { } effort ? new() { Effort = effort } : null };

        return options.Mode == SleepMode.Tools
            ? RunWithToolsAsync(messages, chatOptions, startingMemory, cancellationToken)
            : RunPlainTextAsync(messages, chatOptions, cancellationToken);
    }

    private async Task<Outcome> RunWithToolsAsync(ChatMessage[] messages, ChatOptions chatOptions, string? startingMemory, CancellationToken cancellationToken)
    {
        var tools = new SleepTools(options, startingMemory);
        chatOptions.Tools = tools.All;
        chatOptions.ToolMode = ChatToolMode.Auto;
        var loop = new SleepLoop(model, meter, budget, options.MaxRethinks + options.MaxReminders + 2, options.MaxReminders);
        var run = await loop.RunAsync(messages, chatOptions, tools, cancellationToken).ConfigureAwait(false);

        // Finishing without a rethink keeps the memory the run started from (an incremental sleep with nothing new).
        var kept = tools.Wrote || (tools.Finished && !string.IsNullOrWhiteSpace(tools.Memory));
        var failure = run.Verdict(kept, tools.Finished);
        if (failure is null && !kept)
        {
            failure = run.ToolErrors > 0
                ? (SleepFailureReason.ToolErrors, run.LastToolError!)
                : (SleepFailureReason.NoMemory, $"The sleep model ended without writing any memory with {SleepTools.Rethink}.");
        }

        if (failure is { Reason: SleepFailureReason.ToolErrors } && tools.LastRefusalOverLimit)
        {
            failure = (SleepFailureReason.OverLimit, failure.Value.Error);
        }

        return Report(run, failure is null ? tools.Memory : null, tools.Rethinks, tools.Finished, failure);
    }

    private async Task<Outcome> RunPlainTextAsync(ChatMessage[] messages, ChatOptions chatOptions, CancellationToken cancellationToken)
    {
        // One shorter version at most: a model that cannot keep to the limit once rarely does on a third try.
        var retries = Math.Min(1, options.MaxReminders);
        var loop = new SleepLoop(model, meter, budget, retries + 1, retries);
        var run = await loop.RunAsync(messages, chatOptions, new ShorterReply(options.BlockLimit), cancellationToken).ConfigureAwait(false);
        var memory = run.LastReply is { } reply ? ThinkingTags.Strip(reply.Text) : null;
        (SleepFailureReason, string)? failure = run.StoppedBy is { } stopped ? (stopped, run.StopError!)
            : SleepTools.Refusal(memory, options.BlockLimit) is { } refusal ? (memory?.Length > 0 ? SleepFailureReason.OverLimit : SleepFailureReason.NoMemory, refusal)
            : null;
        return Report(run, failure is null ? memory : null, rethinks: 0, finished: true, failure);
    }

    private Outcome Report(SleepLoopResult run, string? memory, int rethinks, bool finished, (SleepFailureReason Reason, string Error)? failure) =>
        new(memory, new SleepRunReport(index, failure is null, run.ModelCalls, rethinks, finished, run.Reminders, run.ToolErrors, run.Usage, run.Model, failure?.Reason, failure?.Error));

    /// <summary>Plain-text mode: a reply over the limit is asked for a shorter version rather than truncated.</summary>
    private sealed class ShorterReply(int limit) : ISleepLoopState
    {
        public bool Done => false;

        public string? FollowUp(ChatResponse reply) => ThinkingTags.Strip(reply.Text) is { Length: var length } && length > limit
            ? $"That is {length} characters; the limit is {limit}. Reply with a shorter version that keeps every derived quantity."
            : null;
    }
}
