using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// The one sleep loop both strategies run on. <see cref="FunctionInvokingChatClient"/> runs the tool rounds over a
/// <see cref="MeteredChatClient"/> that meters and budgets every model call. Around it this loop adds what function
/// invocation has no notion of: a follow-up when the model replies without calling a tool, and one cap on model calls
/// across those follow-ups.
/// </summary>
internal sealed class SleepLoop(IChatClient model, UsageMeter meter, TokenBudget budget, int maxModelCalls, int maxReminders)
{
    public async Task<SleepLoopResult> RunAsync(IEnumerable<ChatMessage> prompt, ChatOptions options, ISleepLoopState state, CancellationToken cancellationToken)
    {
        var metered = new MeteredChatClient(model, meter, budget);

        // Not disposed: that would dispose the caller's model under it. Our tools answer a bad call with an error result
        // and never throw, so an exception from one is a bug: no error retries, it is rethrown. A tool round ends the loop
        // once the state is done, at its last call, so that a finish listed before an edit does not drop the edit.
        var invoker = new FunctionInvokingChatClient(metered)
        {
            MaximumConsecutiveErrorsPerRequest = 0,
            FunctionInvoker = async (call, token) =>
            {
                var result = await call.Function.InvokeAsync(call.Arguments, token).ConfigureAwait(false);
                if (state.Done && call.FunctionCallIndex == call.FunctionCount - 1)
                {
                    call.Terminate = true;
                }

                return result;
            },
        };
        var messages = prompt.ToList();
        var reminders = 0;
        ChatResponse? reply = null;
        SleepLoopStoppedException? stopped = null;
        try
        {
            while (metered.Calls < maxModelCalls)
            {
                // Function invocation makes up to MaximumIterationsPerRequest + 1 calls and returns the last reply with its
                // tool calls not run. So the last call we allow goes to the model directly, its tool calls not run either:
                // no later call could show the model their results.
                var remaining = maxModelCalls - metered.Calls;
                invoker.MaximumIterationsPerRequest = Math.Max(1, remaining - 1);
                reply = await (remaining > 1 ? (IChatClient)invoker : metered).GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
                messages.AddRange(reply.Messages);
                if (!EndsWithoutToolCalls(reply) || reminders >= maxReminders || metered.Calls >= maxModelCalls || state.FollowUp(reply) is not { } next)
                {
                    break;
                }

                reminders++;
                messages.Add(new ChatMessage(ChatRole.User, next));
            }
        }
        catch (SleepLoopStoppedException ex)
        {
            // The request in flight is lost with the exception; the last prompt holds every tool result before it.
            stopped = ex;
            messages = metered.LastExchange.Count > 0 ? [.. metered.LastExchange] : messages;
        }

        var contents = messages.SelectMany(m => m.Contents).ToList();
        var errors = contents.OfType<FunctionResultContent>().Select(r => r.Result as string).Where(r => r?.StartsWith(SleepTool.ErrorPrefix, StringComparison.Ordinal) == true).ToList();
        return new SleepLoopResult(
            reply, metered.Usage, metered.ModelId, metered.Calls, reminders, contents.OfType<FunctionCallContent>().Count(), errors.Count,
            errors.LastOrDefault()?[SleepTool.ErrorPrefix.Length..], stopped?.Reason, stopped?.Message);
    }

    /// <summary>True when the model's last word is a reply: not a tool round that a tool ended, nor calls left unrun at the cap.</summary>
    private static bool EndsWithoutToolCalls(ChatResponse reply) =>
        reply.Messages.LastOrDefault() is not { } last || (last.Role != ChatRole.Tool && !last.Contents.OfType<FunctionCallContent>().Any());
}
