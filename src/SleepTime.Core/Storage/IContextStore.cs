namespace SleepTime;

/// <summary>
/// Versioned contexts. Every write returns the new snapshot; writes to a missing context throw
/// <see cref="ContextNotFoundException"/>.
/// </summary>
public interface IContextStore
{
    Task<ContextSnapshot> CreateAsync(ContextKind kind, IReadOnlyList<ContextInput> content, string? id = null, CancellationToken cancellationToken = default);

    Task<ContextSnapshot?> GetAsync(string id, CancellationToken cancellationToken = default);

    Task<ContextSnapshot> AppendAsync(string id, IReadOnlyList<ContextInput> content, CancellationToken cancellationToken = default);

    Task<ContextSnapshot> ReplaceAsync(string id, IReadOnlyList<ContextInput> content, CancellationToken cancellationToken = default);

    /// <summary>Deletes the context and its learned contexts; false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}
