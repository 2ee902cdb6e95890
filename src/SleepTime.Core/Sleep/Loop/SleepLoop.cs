using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// The one sleep loop both strategies run on. <see cref="FunctionInvokingChatClient"/> runs the tool rounds, over a
/// <see cref="MeteredChatClient"/> that meters and budgets every model call; a tool ends the loop with
/// <see cref="SleepTool.EndLoop"/>. Around it, this loop adds what function invocation has no notion of: a follow-up
/// (nudge) when the model replies without calling a tool, and one cap on model calls across those follow-ups.
/// </summary>
internal sealed class SleepLoop(IChatClient model, UsageMeter meter, TokenBudget budget)
{
    public async Task<SleepLoopResult> RunAsync(SleepLoopRequest request, CancellationToken cancellationToken)
    {
        var metered = new MeteredChatClient(model, meter, budget);

        // Not disposed: disposing a delegating client disposes the caller's model under it. Our tools answer a bad call
        // with an error result and never throw, so an exception from one is a bug and is rethrown (no retry budget).
        var invoker = new FunctionInvokingChatClient(metered) { MaximumConsecutiveErrorsPerRequest = 0 };
        var messages = request.Messages.ToList();
        var reminders = 0;
        ChatResponse? reply = null;
        SleepLoopStoppedException? stopped = null;
        try
        {
            while (metered.Calls < request.MaxModelCalls)
            {
                // Function invocation makes at most MaximumIterationsPerRequest + 1 calls: the reply to its last tool round
                // comes back with its tool calls not run. So the last call we allow goes to the model directly, and its
                // tool calls are not run either: no later call could show the model what they returned.
                var remaining = request.MaxModelCalls - metered.Calls;
                invoker.MaximumIterationsPerRequest = Math.Max(1, remaining - 1);
                reply = await (remaining > 1 ? (IChatClient)invoker : metered).GetResponseAsync(messages, request.Options, cancellationToken).ConfigureAwait(false);
                messages.AddRange(reply.Messages);

                if (!EndsWithoutToolCalls(reply) || reminders >= request.MaxReminders || metered.Calls >= request.MaxModelCalls
                    || request.FollowUp(reply) is not { } followUp)
                {
                    break;
                }

                reminders++;
                messages.Add(new ChatMessage(ChatRole.User, followUp));
            }
        }
        catch (SleepLoopStoppedException ex)
        {
            stopped = ex;
            if (metered.LastExchange.Count > 0)
            {
                // The request in flight is lost with the exception; its prompt already holds every tool result before it.
                messages = [.. metered.LastExchange];
            }
        }

        var contents = messages.SelectMany(m => m.Contents).ToList();
        var errors = contents.OfType<FunctionResultContent>()
            .Select(r => r.Result as string)
            .Where(r => r?.StartsWith(SleepTool.ErrorPrefix, StringComparison.Ordinal) == true)
            .ToList();
        return new SleepLoopResult(
            reply,
            metered.Usage,
            metered.ModelId,
            metered.Calls,
            reminders,
            contents.OfType<FunctionCallContent>().Count(),
            errors.Count,
            errors.LastOrDefault()?[SleepTool.ErrorPrefix.Length..],
            stopped?.Reason,
            stopped?.Message);
    }

    /// <summary>True when the model's last word is a plain reply: not a tool round a tool ended, nor calls left unrun at the cap.</summary>
    private static bool EndsWithoutToolCalls(ChatResponse reply) =>
        reply.Messages.LastOrDefault() is not { } last
        || (last.Role != ChatRole.Tool && !last.Contents.OfType<FunctionCallContent>().Any());
}
