using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>What the sleep loop asks of a strategy's working state.</summary>
internal interface ISleepLoopState
{
    /// <summary>True once a tool has ended the run (a finish, or a limit): no model call follows that tool round.</summary>
    bool Done { get; }

    /// <summary>What to tell a model that replied without calling a tool (a nudge), or null to end the run there.</summary>
    string? FollowUp(ChatResponse reply);
}
