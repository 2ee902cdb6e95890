using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>Each primary agent's conversation, in order.</summary>
public interface IMessageStore
{
    /// <summary>Appends a message with the agent's next sequence number.</summary>
    Task<AgentMessage> AppendAsync(string agentId, ChatRole role, string text, int tokens, CancellationToken cancellationToken = default);

    /// <summary>The messages with a sequence above <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<AgentMessage>> ListAsync(string agentId, long afterSequence = 0, CancellationToken cancellationToken = default);

    /// <summary>The last <paramref name="count"/> messages, oldest first.</summary>
    Task<IReadOnlyList<AgentMessage>> ListRecentAsync(string agentId, int count, CancellationToken cancellationToken = default);

    /// <summary>The messages that best match <paramref name="query"/>, best first (a database uses its full-text index).</summary>
    Task<IReadOnlyList<AgentMessage>> SearchAsync(string agentId, string query, int limit, CancellationToken cancellationToken = default);
}
