namespace SleepTime;

public sealed class InMemoryChangeSetStore : IChangeSetStore
{
    private readonly Lock gate = new();
    private readonly List<ChangeSet> changeSets = [];

    public Task<ChangeSet?> GetAsync(string changeSetId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(changeSets.FirstOrDefault(c => c.Id == changeSetId));
        }
    }

    public Task<IReadOnlyList<ChangeSet>> ListAsync(string? primaryAgentId = null, ChangeSetStatus? status = null, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<ChangeSet> list = changeSets
                .Where(c => (primaryAgentId is null || c.PrimaryAgentId == primaryAgentId) && (status is null || c.Status == status))
                .Reverse()
                .ToList();
            return Task.FromResult(list);
        }
    }

    /// <summary>Adds or replaces a change set written by a memory unit (<see cref="InMemoryMemoryStore"/>).</summary>
    internal void Put(ChangeSet changeSet)
    {
        lock (gate)
        {
            var index = changeSets.FindIndex(c => c.Id == changeSet.Id);
            if (index < 0)
            {
                changeSets.Add(changeSet);
            }
            else
            {
                changeSets[index] = changeSet;
            }
        }
    }
}
