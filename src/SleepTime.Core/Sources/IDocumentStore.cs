namespace SleepTime;

public interface IDocumentStore
{
    /// <exception cref="SleepTimeValidationException">The text is empty.</exception>
    Task<AgentDocument> AddAsync(string agentId, string title, string text, CancellationToken cancellationToken = default);

    /// <summary>The documents with a sequence above <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<AgentDocument>> ListAsync(string agentId, long afterSequence = 0, CancellationToken cancellationToken = default);
}
