namespace SleepTime;

public sealed class InMemoryDocumentStore(TimeProvider? timeProvider = null) : IDocumentStore
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<AgentDocument>> documents = new(StringComparer.Ordinal);

    public Task<AgentDocument> AddAsync(string agentId, string title, string text, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new SleepTimeValidationException("text", "A document needs some text.");
        }

        lock (gate)
        {
            if (!documents.TryGetValue(agentId, out var list))
            {
                documents[agentId] = list = [];
            }

            var document = new AgentDocument(Ids.New("doc"), agentId, list.Count + 1, string.IsNullOrWhiteSpace(title) ? "untitled" : title, text, time.GetUtcNow());
            list.Add(document);
            return Task.FromResult(document);
        }
    }

    public Task<IReadOnlyList<AgentDocument>> ListAsync(string agentId, long afterSequence = 0, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<AgentDocument> list = documents.TryGetValue(agentId, out var all) ? all.Where(d => d.Sequence > afterSequence).ToList() : [];
            return Task.FromResult(list);
        }
    }
}
