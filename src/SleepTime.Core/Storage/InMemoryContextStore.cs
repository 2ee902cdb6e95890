namespace SleepTime;

/// <summary>
/// Process-local store for the library used on its own, tests and benchmarks. Thread-safe; nothing survives the
/// process (the server uses SQLite or PostgreSQL).
/// </summary>
public sealed class InMemoryContextStore(TimeProvider? timeProvider = null) : IContextStore, ILearnedContextStore
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;
    private readonly Lock gate = new();
    private readonly Dictionary<string, ContextSnapshot> contexts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LearnedContext>> learned = new(StringComparer.Ordinal);

    public Task<ContextSnapshot> CreateAsync(ContextKind kind, IReadOnlyList<ContextInput> content, string? id = null, CancellationToken cancellationToken = default)
    {
        id ??= Guid.NewGuid().ToString("N");
        ContextValidation.ValidateId(id);
        ContextValidation.ValidateContent(kind, content, allowEmpty: false);
        var now = time.GetUtcNow();
        var snapshot = new ContextSnapshot(id, kind, 1, 1, ToEntries(content, 1, now), now, now);
        lock (gate)
        {
            if (!contexts.TryAdd(id, snapshot))
            {
                throw new SleepTimeValidationException("id", $"A context with id '{id}' already exists.");
            }
        }

        return Task.FromResult(snapshot);
    }

    public Task<ContextSnapshot?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(contexts.GetValueOrDefault(id));
        }
    }

    public Task<ContextSnapshot> AppendAsync(string id, IReadOnlyList<ContextInput> content, CancellationToken cancellationToken = default) =>
        Update(id, content, current =>
        {
            var version = current.Version + 1;
            var now = time.GetUtcNow();
            return current with
            {
                Version = version,
                Entries = [.. current.Entries, .. ToEntries(content, version, now)],
                UpdatedAt = now,
            };
        });

    public Task<ContextSnapshot> ReplaceAsync(string id, IReadOnlyList<ContextInput> content, CancellationToken cancellationToken = default) =>
        Update(id, content, current =>
        {
            var version = current.Version + 1;
            var now = time.GetUtcNow();
            return current with { Version = version, BaseVersion = version, Entries = ToEntries(content, version, now), UpdatedAt = now };
        });

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            learned.Remove(id);
            return Task.FromResult(contexts.Remove(id));
        }
    }

    public Task<LearnedContext?> GetCurrentAsync(string contextId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(learned.TryGetValue(contextId, out var versions) ? versions[^1] : null);
        }
    }

    public Task<LearnedContext?> GetVersionAsync(string contextId, long version, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(learned.TryGetValue(contextId, out var versions)
                ? versions.FirstOrDefault(v => v.Version == version)
                : null);
        }
    }

    public Task<IReadOnlyList<LearnedContext>> GetHistoryAsync(string contextId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<LearnedContext> history = learned.TryGetValue(contextId, out var versions)
                ? versions.AsEnumerable().Reverse().ToList()
                : [];
            return Task.FromResult(history);
        }
    }

    public Task<bool> TryCommitAsync(LearnedContext next, long? expectedCurrentVersion, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!contexts.ContainsKey(next.ContextId))
            {
                throw new ContextNotFoundException(next.ContextId);
            }

            learned.TryGetValue(next.ContextId, out var versions);
            long? current = versions is null ? null : versions[^1].Version;
            if (current != expectedCurrentVersion || next.Version != (current ?? 0) + 1)
            {
                return Task.FromResult(false);
            }

            if (versions is null)
            {
                learned[next.ContextId] = versions = [];
            }

            versions.Add(next);
            return Task.FromResult(true);
        }
    }

    private Task<ContextSnapshot> Update(string id, IReadOnlyList<ContextInput> content, Func<ContextSnapshot, ContextSnapshot> change)
    {
        lock (gate)
        {
            if (!contexts.TryGetValue(id, out var current))
            {
                throw new ContextNotFoundException(id);
            }

            ContextValidation.ValidateContent(current.Kind, content, allowEmpty: false);
            var next = change(current);
            contexts[id] = next;
            return Task.FromResult(next);
        }
    }

    private static List<ContextEntry> ToEntries(IReadOnlyList<ContextInput> content, long version, DateTimeOffset now) =>
        content.Select(c => new ContextEntry(version, c.Text, c.Role, now)).ToList();
}
