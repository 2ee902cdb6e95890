namespace SleepTime;

/// <summary>Archival passages per agent. Ranking is done by <see cref="ArchivalMemory"/>; a database store may push it down (pgvector, FTS5).</summary>
public interface IArchivalStore
{
    Task AddAsync(ArchivalPassage passage, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ArchivalPassage>> ListAsync(string agentId, CancellationToken cancellationToken = default);
}
