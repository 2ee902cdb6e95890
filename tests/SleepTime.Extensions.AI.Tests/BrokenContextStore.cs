namespace SleepTime.Extensions.AI.Tests;

/// <summary>A context store whose writes always fail, as a database that went away would.</summary>
internal sealed class BrokenContextStore : IContextStore, ILearnedContextStore
{
    private readonly InMemoryContextStore inner = new();

    public int FailedWrites { get; private set; }

    public Task<ContextSnapshot> CreateAsync(ContextKind kind, IReadOnlyList<ContextInput> content, string? id = null, CancellationToken cancellationToken = default) => Fail();

    public Task<ContextSnapshot?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public Task<ContextSnapshot> AppendAsync(string id, IReadOnlyList<ContextInput> content, CancellationToken cancellationToken = default) => Fail();

    public Task<ContextSnapshot> ReplaceAsync(string id, IReadOnlyList<ContextInput> content, CancellationToken cancellationToken = default) => Fail();

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) => inner.DeleteAsync(id, cancellationToken);

    public Task<LearnedContext?> GetCurrentAsync(string contextId, CancellationToken cancellationToken = default) => inner.GetCurrentAsync(contextId, cancellationToken);

    public Task<LearnedContext?> GetVersionAsync(string contextId, long version, CancellationToken cancellationToken = default) => inner.GetVersionAsync(contextId, version, cancellationToken);

    public Task<IReadOnlyList<LearnedContext>> GetHistoryAsync(string contextId, CancellationToken cancellationToken = default) => inner.GetHistoryAsync(contextId, cancellationToken);

    public Task<bool> TryCommitAsync(LearnedContext next, long? expectedCurrentVersion, CancellationToken cancellationToken = default) => inner.TryCommitAsync(next, expectedCurrentVersion, cancellationToken);

    private Task<ContextSnapshot> Fail()
    {
        FailedWrites++;
        return Task.FromException<ContextSnapshot>(new InvalidOperationException("the database went away"));
    }
}
