namespace SleepTime;

public sealed class InMemoryArchivalStore : IArchivalStore
{
    private readonly Lock gate = new();
    private readonly List<ArchivalPassage> passages = [];

    public Task AddAsync(ArchivalPassage passage, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            passages.Add(passage);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ArchivalPassage>> ListAsync(string agentId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<ArchivalPassage> list = passages.Where(p => p.AgentId == agentId).ToList();
            return Task.FromResult(list);
        }
    }
}
