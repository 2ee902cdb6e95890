using Microsoft.Extensions.AI;

namespace SleepTime.Agents;

public sealed record PrimaryAgentOptions
{
    /// <summary>Tools of the caller's own, offered next to conversation and archival search.</summary>
    public IReadOnlyList<AIFunction> Tools { get; init; } = [];

    /// <summary>Where archival search looks; by default BM25 over the agents' archival store.</summary>
    public ArchivalMemory? Archival { get; init; }

    /// <summary>Told after each turn that the agent's transcript grew, so its sleep-time agents' policies are applied (a server's scheduler or an <see cref="InProcessSleepScheduler"/>).</summary>
    public ISleepScheduler? Scheduler { get; init; }

    /// <summary>How many recent messages are sent with each turn; older ones stay reachable through conversation search.</summary>
    public int HistoryMessages { get; init; } = 40;

    public int? MaxOutputTokens { get; init; }

    public ITokenCounter? TokenCounter { get; init; }

    public TimeProvider? TimeProvider { get; init; }
}
