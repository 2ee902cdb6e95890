namespace SleepTime;

/// <summary>Change sets, for listing, inspection, review and revert.</summary>
public interface IChangeSetStore
{
    Task AddAsync(ChangeSet changeSet, CancellationToken cancellationToken = default);

    Task<ChangeSet?> GetAsync(string changeSetId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored change set with the same id.</summary>
    Task UpdateAsync(ChangeSet changeSet, CancellationToken cancellationToken = default);

    /// <summary>Newest first; each filter is ignored when null.</summary>
    Task<IReadOnlyList<ChangeSet>> ListAsync(string? primaryAgentId = null, ChangeSetStatus? status = null, CancellationToken cancellationToken = default);
}
