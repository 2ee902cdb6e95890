namespace SleepTime;

public sealed class InMemoryChangeSetStore : IChangeSetStore
{
    private readonly Lock gate = new();
    private readonly List<ChangeSet> changeSets = [];

    public Task AddAsync(ChangeSet changeSet, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            changeSets.Add(changeSet);
        }

        return Task.CompletedTask;
    }

    public Task<ChangeSet?> GetAsync(string changeSetId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(changeSets.FirstOrDefault(c => c.Id == changeSetId));
        }
    }

    public Task UpdateAsync(ChangeSet changeSet, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var index = changeSets.FindIndex(c => c.Id == changeSet.Id);
            if (index < 0)
            {
                throw new ChangeSetNotFoundException(changeSet.Id);
            }

            changeSets[index] = changeSet;
        }

        return Task.CompletedTask;
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
}
