using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// The one way content is written to an existing context, for <c>POST /api/contexts/{id}/append</c>,
/// <c>PUT /api/contexts/{id}</c> and the MCP tool <c>add_to_context</c>: the size check against
/// <see cref="ServerOptions.MaxContextChars"/>, the store's write, then the scheduler hears of the change. A refused
/// write changes nothing.
/// </summary>
public sealed class ContextWriter(TenantContextStore store, SleepScheduler scheduler, long maxContextChars)
{
    public TenantContextStore Store => store;

    /// <summary>Appends <paramref name="content"/>; with <paramref name="createAs"/>, a missing context is created as that kind instead.</summary>
    public Task<ContextWrite> AppendAsync(string id, IReadOnlyList<ContextInput> content, ContextKind? createAs = null, CancellationToken cancellationToken = default) =>
        WriteAsync(id, content, replace: false, createAs, expectedVersion: null, cancellationToken);

    /// <summary>Appends <paramref name="content"/> only if the context is still at <paramref name="expectedVersion"/>; otherwise a <see cref="ContextWriteOutcome.Conflict"/> that changes nothing.</summary>
    public Task<ContextWrite> AppendAtAsync(string id, IReadOnlyList<ContextInput> content, long expectedVersion, CancellationToken cancellationToken = default) =>
        WriteAsync(id, content, replace: false, createAs: null, expectedVersion, cancellationToken);

    /// <summary>Starts the context over with <paramref name="content"/>.</summary>
    public Task<ContextWrite> ReplaceAsync(string id, IReadOnlyList<ContextInput> content, CancellationToken cancellationToken = default) =>
        WriteAsync(id, content, replace: true, createAs: null, expectedVersion: null, cancellationToken);

    /// <summary>Starts the context over with <paramref name="content"/> only if it is still at <paramref name="expectedVersion"/>; otherwise a <see cref="ContextWriteOutcome.Conflict"/>.</summary>
    public Task<ContextWrite> ReplaceAtAsync(string id, IReadOnlyList<ContextInput> content, long expectedVersion, CancellationToken cancellationToken = default) =>
        WriteAsync(id, content, replace: true, createAs: null, expectedVersion, cancellationToken);

    private static ContextWrite Conflict(string id, long expected) =>
        ContextWrite.Refused(ContextWriteOutcome.Conflict, $"Context '{id}' changed after version {expected}; nothing was written.");

    private async Task<ContextWrite> WriteAsync(string id, IReadOnlyList<ContextInput> content, bool replace, ContextKind? createAs, long? expectedVersion, CancellationToken cancellationToken)
    {
        var current = await store.GetSummaryAsync(id, cancellationToken).ConfigureAwait(false);
        if (current is null && createAs is null)
        {
            return ContextWrite.Refused(ContextWriteOutcome.NotFound, $"Context '{id}' was not found.");
        }

        if (expectedVersion is { } stale && current is not null && current.Version != stale)
        {
            return Conflict(id, stale);
        }

        var added = content.Sum(c => (long)c.Text.Length);
        var length = replace || current is null ? added : current.Length + added;
        if (length > maxContextChars)
        {
            return ContextWrite.Refused(ContextWriteOutcome.TooLarge, current is null
                ? $"A context may hold at most {maxContextChars:N0} characters."
                : $"A context may hold at most {maxContextChars:N0} characters; this one would hold {length:N0}.");
        }

        if (current is null)
        {
            await store.CreateAsync(createAs!.Value, content, id, cancellationToken).ConfigureAwait(false);
        }
        else if (expectedVersion is { } expected)
        {
            var written = replace
                ? await store.TryReplaceAsync(id, content, expected, cancellationToken).ConfigureAwait(false)
                : await store.TryAppendAsync(id, content, expected, cancellationToken).ConfigureAwait(false);
            if (written is null)
            {
                return Conflict(id, expected);
            }
        }
        else if (replace)
        {
            await store.ReplaceAsync(id, content, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await store.AppendAsync(id, content, cancellationToken).ConfigureAwait(false);
        }

        await scheduler.OnContextChangedAsync(store.TenantId, id, cancellationToken).ConfigureAwait(false);
        var summary = await store.GetSummaryAsync(id, cancellationToken).ConfigureAwait(false);
        return summary is null
            ? ContextWrite.Refused(ContextWriteOutcome.NotFound, $"Context '{id}' was deleted while being written.")
            : new ContextWrite(current is null ? ContextWriteOutcome.Created : ContextWriteOutcome.Written, summary, null);
    }
}

public enum ContextWriteOutcome
{
    Written,
    Created,
    NotFound,
    TooLarge,
    Conflict,
}

/// <summary>What a write did: the context after it, or why it was refused.</summary>
public sealed record ContextWrite(ContextWriteOutcome Outcome, ContextSummary? Summary, string? Problem)
{
    public static ContextWrite Refused(ContextWriteOutcome outcome, string problem) => new(outcome, null, problem);
}
