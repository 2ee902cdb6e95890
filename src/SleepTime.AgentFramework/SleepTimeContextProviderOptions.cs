using Microsoft.Agents.AI;

namespace SleepTime.AgentFramework;

/// <summary>Which conversation of the <see cref="SleepTime.Extensions.AI.SleepTimeMemory"/> a session reads and writes, and how the learned context is phrased.</summary>
public sealed record SleepTimeContextProviderOptions
{
    /// <summary>
    /// A memory shared by every session and every agent that uses this value (Letta's shared blocks): their turns
    /// land in one conversation and all of them read its learned context. Null (the default): each session gets its
    /// own conversation, named in the session's state.
    /// </summary>
    public string? SharedMemoryId { get; init; }

    /// <summary>Names a new session's conversation (default: a fresh id); ignored when <see cref="SharedMemoryId"/> is set.</summary>
    public Func<AgentSession?, string>? NewConversationId { get; init; }

    /// <summary>The key of this provider's state in the session's state bag (default: <c>SleepTimeContextProvider</c>).</summary>
    public string StateKey { get; init; } = nameof(SleepTimeContextProvider);

    /// <summary>The instructions that carry the learned context; <c>{learned_context}</c> is replaced by it.</summary>
    public string Template { get; init; } =
        "What you already worked out about this conversation, while idle (trust it; it may anticipate the question):\n<learned_context>\n{learned_context}\n</learned_context>";
}
