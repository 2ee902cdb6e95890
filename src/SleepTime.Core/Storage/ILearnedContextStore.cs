namespace SleepTime;

/// <summary>Versions of the learned context of each context, committed atomically.</summary>
public interface ILearnedContextStore
{
    Task<LearnedContext?> GetCurrentAsync(string contextId, CancellationToken cancellationToken = default);

    Task<LearnedContext?> GetVersionAsync(string contextId, long version, CancellationToken cancellationToken = default);

    /// <summary>All versions, newest first.</summary>
    Task<IReadOnlyList<LearnedContext>> GetHistoryAsync(string contextId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits <paramref name="next"/> as the new current version only if the current version is still
    /// <paramref name="expectedCurrentVersion"/> (null: none yet) and <c>next.Version</c> is the one after it.
    /// Returns false, changing nothing, when another commit got there first.
    /// </summary>
    Task<bool> TryCommitAsync(LearnedContext next, long? expectedCurrentVersion, CancellationToken cancellationToken = default);
}
