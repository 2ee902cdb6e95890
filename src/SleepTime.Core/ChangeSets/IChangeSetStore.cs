namespace SleepTime;

/// <summary>Change sets, for listing and inspection; they are written only through <see cref="IMemoryWriter"/>.</summary>
public interface IChangeSetStore
{
    Task<ChangeSet?> GetAsync(string changeSetId, CancellationToken cancellationToken = default);

    /// <summary>Newest first; each filter is ignored when null.</summary>
    Task<IReadOnlyList<ChangeSet>> ListAsync(string? primaryAgentId = null, ChangeSetStatus? status = null, CancellationToken cancellationToken = default);
}
