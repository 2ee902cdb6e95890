using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// One run of the sleep loop: the opening messages, the options (with the strategy's tools, if any), the call and
/// reminder limits, and <see cref="FollowUp"/>: what to say when the model replies without calling a tool
/// (a nudge, or a request for a shorter reply), or null to end the run there.
/// </summary>
internal sealed record SleepLoopRequest(
    IReadOnlyList<ChatMessage> Messages,
    ChatOptions Options,
    int MaxModelCalls,
    int MaxReminders,
    Func<ChatResponse, string?> FollowUp);
