using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace SleepTime.Storage;

/// <summary>
/// The contexts and learned contexts of one tenant. Another tenant's ids simply do not exist here. Every write
/// is one transaction: a context version and its entries land together or not at all.
/// </summary>
public sealed class TenantContextStore(SleepTimeDatabase database, string tenantId, TimeProvider? timeProvider = null) : IContextStore, ILearnedContextStore
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string SummaryColumns = """
        c.id AS Id, c.kind AS Kind, c.version AS Version, c.base_version AS BaseVersion, c.length AS Length, c.turns AS Turns,
        c.processed_version AS ProcessedVersion, c.schedule AS Schedule, c.created_at AS CreatedAt, c.updated_at AS UpdatedAt,
        (SELECT MAX(l.version) FROM learned_contexts l WHERE l.tenant_id = c.tenant_id AND l.context_id = c.id) AS LearnedVersion
        """;

    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public string TenantId { get; } = tenantId;

    public Task<ContextSnapshot> CreateAsync(ContextKind kind, IReadOnlyList<ContextInput> content, string? id = null, CancellationToken cancellationToken = default) =>
        CreateAsync(kind, content, id, schedule: null, cancellationToken);

    public async Task<ContextSnapshot> CreateAsync(ContextKind kind, IReadOnlyList<ContextInput> content, string? id, string? schedule, CancellationToken cancellationToken = default)
    {
        id ??= Guid.NewGuid().ToString("N");
        ContextValidation.ValidateId(id);
        if (!Enum.IsDefined(kind))
        {
            throw new SleepTimeValidationException("kind", "The context kind must be document or conversation.");
        }

        ContextValidation.ValidateContent(kind, content, allowEmpty: false);
        var tokens = Tokens(content);
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var inserted = await connection.ExecuteAsync(
            """
            INSERT INTO contexts (tenant_id, id, kind, version, base_version, length, turns, processed_version, schedule, created_at, updated_at)
            VALUES (@tenant, @id, @kind, 1, 1, @length, @turns, 0, @schedule, @now, @now)
            ON CONFLICT (tenant_id, id) DO NOTHING
            """,
            new { tenant = TenantId, id, kind = kind.ToString(), length = Length(content), turns = Turns(kind, content), schedule, now = Clock.ToUnix(now) },
            transaction).ConfigureAwait(false);
        if (inserted == 0)
        {
            throw new SleepTimeValidationException("id", $"A context with id '{id}' already exists.");
        }

        await InsertEntriesAsync(connection, transaction, id, 1, content, tokens, now).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ContextSnapshot(id, kind, 1, 1, ToEntries(content, 1, now), now, now);
    }

    /// <summary>The context at one version: its head and entries are read in one snapshot transaction.</summary>
    public async Task<ContextSnapshot?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
        var snapshot = await ReadSnapshotAsync(connection, transaction, id).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return snapshot;
    }

    public async Task<ContextSummary?> GetSummaryAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<SummaryRow>(
            $"SELECT {SummaryColumns} FROM contexts c WHERE c.tenant_id = @tenant AND c.id = @id", new { tenant = TenantId, id }).ConfigureAwait(false);
        return row?.ToSummary();
    }

    /// <summary>What the context's default sleeper has not read yet: the entries after its watermark (the processed version), with their tokens.</summary>
    public async Task<UnreadSources> UnreadAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleAsync<SqlAgentStore.UnreadRow>(
            """
            SELECT COUNT(*) AS Entries, COALESCE(SUM(CASE WHEN e.role = 'user' THEN 1 ELSE 0 END), 0) AS UserTurns,
                   COALESCE(SUM(e.tokens), 0) AS Tokens, MIN(e.added_at) AS OldestAt
            FROM contexts c JOIN context_entries e ON e.tenant_id = c.tenant_id AND e.context_id = c.id AND e.version > c.processed_version
            WHERE c.tenant_id = @tenant AND c.id = @id
            """,
            new { tenant = TenantId, id }).ConfigureAwait(false);
        return new UnreadSources((int)row.Entries, (int)row.UserTurns, row.Tokens, 0, Clock.FromUnix(row.OldestAt));
    }

    /// <summary>
    /// A page of the context's entries in order, skipping <paramref name="offset"/> of them, with how many it holds (read
    /// together in one snapshot); null when the context does not exist.
    /// </summary>
    public async Task<ContextEntryPage?> ListEntriesAsync(string id, long offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
        var exists = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM contexts WHERE tenant_id = @tenant AND id = @id", new { tenant = TenantId, id }, transaction).ConfigureAwait(false);
        if (exists == 0)
        {
            return null;
        }

        var total = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM context_entries WHERE tenant_id = @tenant AND context_id = @id", new { tenant = TenantId, id }, transaction).ConfigureAwait(false);
        var rows = await connection.QueryAsync<EntryRow>(
            "SELECT version AS Version, role AS Role, text AS Text, added_at AS AddedAt FROM context_entries WHERE tenant_id = @tenant AND context_id = @id ORDER BY version, idx LIMIT @take OFFSET @skip",
            new { tenant = TenantId, id, take = (long)limit, skip = offset }, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ContextEntryPage(rows.Select(e => new ContextEntry(e.Version, e.Text, e.Role, Clock.FromUnix(e.AddedAt))).ToList(), offset, total);
    }

    public async Task<ContextPage> ListAsync(int limit, string? after = null, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, 1000);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<SummaryRow>(
            $"SELECT {SummaryColumns} FROM contexts c WHERE c.tenant_id = @tenant AND (@after IS NULL OR c.id > @after) ORDER BY c.id LIMIT @take",
            new { tenant = TenantId, after, take = (long)limit + 1 }).ConfigureAwait(false)).ToList();
        var next = rows.Count > limit ? rows[limit - 1].Id : null;
        return new ContextPage(rows.Take(limit).Select(r => r.ToSummary()).ToList(), next);
    }

    public async Task<ContextSnapshot> AppendAsync(string id, IReadOnlyList<ContextInput> content, CancellationToken cancellationToken = default) =>
        (await WriteAsync(id, content, replace: false, expectedVersion: null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Appends only if the context is still at <paramref name="expectedVersion"/>; null when another write came first.</summary>
    public Task<ContextSnapshot?> TryAppendAsync(string id, IReadOnlyList<ContextInput> content, long expectedVersion, CancellationToken cancellationToken = default) =>
        WriteAsync(id, content, replace: false, expectedVersion, cancellationToken);

    public async Task<ContextSnapshot> ReplaceAsync(string id, IReadOnlyList<ContextInput> content, CancellationToken cancellationToken = default) =>
        (await WriteAsync(id, content, replace: true, expectedVersion: null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Starts the context over only if it is still at <paramref name="expectedVersion"/>; null when another write came first.</summary>
    public Task<ContextSnapshot?> TryReplaceAsync(string id, IReadOnlyList<ContextInput> content, long expectedVersion, CancellationToken cancellationToken = default) =>
        WriteAsync(id, content, replace: true, expectedVersion, cancellationToken);

    public async Task<bool> SetScheduleAsync(string id, string? schedule, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            "UPDATE contexts SET schedule = @schedule WHERE tenant_id = @tenant AND id = @id", new { tenant = TenantId, id, schedule }).ConfigureAwait(false) == 1;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var args = new { tenant = TenantId, id };
        var deleted = await connection.ExecuteAsync("DELETE FROM contexts WHERE tenant_id = @tenant AND id = @id", args, transaction).ConfigureAwait(false);
        if (deleted > 0)
        {
            await connection.ExecuteAsync("DELETE FROM context_entries WHERE tenant_id = @tenant AND context_id = @id", args, transaction).ConfigureAwait(false);
            await connection.ExecuteAsync("DELETE FROM learned_contexts WHERE tenant_id = @tenant AND context_id = @id", args, transaction).ConfigureAwait(false);
            await RunStore.CancelLiveAsync(connection, transaction, TenantId, SleeperKind.Context, id, "The context was deleted.", time.GetUtcNow()).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted > 0;
    }

    public async Task<LearnedContext?> GetCurrentAsync(string contextId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QueryFirstOrDefaultAsync<LearnedRow>(
            "SELECT context_id AS ContextId, version AS Version, blocks AS Blocks, provenance AS Provenance FROM learned_contexts WHERE tenant_id = @tenant AND context_id = @contextId ORDER BY version DESC LIMIT 1",
            new { tenant = TenantId, contextId }).ConfigureAwait(false);
        return row?.ToLearned();
    }

    public async Task<LearnedContext?> GetVersionAsync(string contextId, long version, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<LearnedRow>(
            "SELECT context_id AS ContextId, version AS Version, blocks AS Blocks, provenance AS Provenance FROM learned_contexts WHERE tenant_id = @tenant AND context_id = @contextId AND version = @version",
            new { tenant = TenantId, contextId, version }).ConfigureAwait(false);
        return row?.ToLearned();
    }

    public async Task<IReadOnlyList<LearnedContext>> GetHistoryAsync(string contextId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<LearnedRow>(
            "SELECT context_id AS ContextId, version AS Version, blocks AS Blocks, provenance AS Provenance FROM learned_contexts WHERE tenant_id = @tenant AND context_id = @contextId ORDER BY version DESC",
            new { tenant = TenantId, contextId }).ConfigureAwait(false);
        return rows.Select(r => r.ToLearned()).ToList();
    }

    public async Task<bool> TryCommitAsync(LearnedContext next, long? expectedCurrentVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var committed = await TryCommitAsync(connection, transaction, TenantId, next, expectedCurrentVersion, time.GetUtcNow()).ConfigureAwait(false);
        if (committed)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return committed;
    }

    /// <summary>The compare-and-swap commit inside a caller's transaction; also advances the processed-version watermark.</summary>
    internal static async Task<bool> TryCommitAsync(DbConnection connection, DbTransaction transaction, string tenantId, LearnedContext next, long? expectedCurrentVersion, DateTimeOffset now)
    {
        var args = new { tenant = tenantId, id = next.ContextId };
        var exists = await connection.ExecuteScalarAsync<long?>(
            "SELECT version FROM contexts WHERE tenant_id = @tenant AND id = @id", args, transaction).ConfigureAwait(false);
        if (exists is null)
        {
            throw new ContextNotFoundException(next.ContextId);
        }

        var current = await connection.ExecuteScalarAsync<long?>(
            "SELECT MAX(version) FROM learned_contexts WHERE tenant_id = @tenant AND context_id = @id", args, transaction).ConfigureAwait(false);
        if (current != expectedCurrentVersion || next.Version != (current ?? 0) + 1)
        {
            return false;
        }

        var inserted = await connection.ExecuteAsync(
            """
            INSERT INTO learned_contexts (tenant_id, context_id, version, blocks, provenance, created_at)
            VALUES (@tenant, @id, @version, @blocks, @provenance, @now)
            ON CONFLICT (tenant_id, context_id, version) DO NOTHING
            """,
            new
            {
                tenant = tenantId,
                id = next.ContextId,
                version = next.Version,
                blocks = JsonSerializer.Serialize(next.Blocks, Json),
                provenance = JsonSerializer.Serialize(next.Provenance, Json),
                now = Clock.ToUnix(now),
            },
            transaction).ConfigureAwait(false);
        if (inserted == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(
            "UPDATE contexts SET processed_version = @source WHERE tenant_id = @tenant AND id = @id AND processed_version < @source",
            new { tenant = tenantId, id = next.ContextId, source = next.Provenance.SourceVersion }, transaction).ConfigureAwait(false);
        return true;
    }

    private async Task<ContextSnapshot?> WriteAsync(string id, IReadOnlyList<ContextInput> content, bool replace, long? expectedVersion, CancellationToken cancellationToken)
    {
        // Counted before the write lock is taken (on SQLite it holds every writer of the file).
        var tokens = Tokens(content);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var head = await connection.QuerySingleOrDefaultAsync<WriteHead>(
            "SELECT kind AS Kind, version AS Version FROM contexts WHERE tenant_id = @tenant AND id = @id" + database.ForUpdate, new { tenant = TenantId, id }, transaction).ConfigureAwait(false)
            ?? throw new ContextNotFoundException(id);
        var kind = Enum.Parse<ContextKind>(head.Kind);
        ContextValidation.ValidateContent(kind, content, allowEmpty: false);
        if (expectedVersion is { } expected && head.Version != expected)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var version = replace
            ? await connection.ExecuteScalarAsync<long>(
                "UPDATE contexts SET version = version + 1, base_version = version + 1, length = @length, turns = @turns, updated_at = @now WHERE tenant_id = @tenant AND id = @id RETURNING version",
                new { tenant = TenantId, id, length = Length(content), turns = Turns(kind, content), now = Clock.ToUnix(now) }, transaction).ConfigureAwait(false)
            : await connection.ExecuteScalarAsync<long>(
                "UPDATE contexts SET version = version + 1, length = length + @length, turns = turns + @turns, updated_at = @now WHERE tenant_id = @tenant AND id = @id RETURNING version",
                new { tenant = TenantId, id, length = Length(content), turns = Turns(kind, content), now = Clock.ToUnix(now) }, transaction).ConfigureAwait(false);
        if (replace)
        {
            await connection.ExecuteAsync("DELETE FROM context_entries WHERE tenant_id = @tenant AND context_id = @id", new { tenant = TenantId, id }, transaction).ConfigureAwait(false);
        }

        await InsertEntriesAsync(connection, transaction, id, version, content, tokens, now).ConfigureAwait(false);
        var snapshot = await ReadSnapshotAsync(connection, transaction, id).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return snapshot!;
    }

    private sealed class WriteHead
    {
        public string Kind { get; set; } = "";

        public long Version { get; set; }
    }

    private static long[] Tokens(IReadOnlyList<ContextInput> content) => [.. content.Select(c => (long)ScaledTokenCount.OfEntry(c?.Text ?? string.Empty))];

    private async Task InsertEntriesAsync(DbConnection connection, DbTransaction transaction, string id, long version, IReadOnlyList<ContextInput> content, long[] tokens, DateTimeOffset now)
    {
        var rows = content.Select((c, i) => new { tenant = TenantId, id, version, idx = (long)i, role = c.Role, text = c.Text, tokens = tokens[i], now = Clock.ToUnix(now) });
        await connection.ExecuteAsync(
            "INSERT INTO context_entries (tenant_id, context_id, version, idx, role, text, tokens, added_at) VALUES (@tenant, @id, @version, @idx, @role, @text, @tokens, @now)",
            rows, transaction).ConfigureAwait(false);
    }

    private async Task<ContextSnapshot?> ReadSnapshotAsync(DbConnection connection, DbTransaction? transaction, string id)
    {
        var head = await connection.QuerySingleOrDefaultAsync<SummaryRow>(
            "SELECT id AS Id, kind AS Kind, version AS Version, base_version AS BaseVersion, created_at AS CreatedAt, updated_at AS UpdatedAt FROM contexts WHERE tenant_id = @tenant AND id = @id",
            new { tenant = TenantId, id }, transaction).ConfigureAwait(false);
        if (head is null)
        {
            return null;
        }

        var entries = await connection.QueryAsync<EntryRow>(
            "SELECT version AS Version, role AS Role, text AS Text, added_at AS AddedAt FROM context_entries WHERE tenant_id = @tenant AND context_id = @id ORDER BY version, idx",
            new { tenant = TenantId, id }, transaction).ConfigureAwait(false);
        return new ContextSnapshot(
            head.Id,
            Enum.Parse<ContextKind>(head.Kind),
            head.Version,
            head.BaseVersion,
            entries.Select(e => new ContextEntry(e.Version, e.Text, e.Role, Clock.FromUnix(e.AddedAt))).ToList(),
            Clock.FromUnix(head.CreatedAt),
            Clock.FromUnix(head.UpdatedAt));
    }

    private static long Length(IReadOnlyList<ContextInput> content) => content.Sum(c => (long)(c?.Text?.Length ?? 0));

    private static long Turns(ContextKind kind, IReadOnlyList<ContextInput> content) => kind == ContextKind.Conversation ? content.Count : 0;

    private static List<ContextEntry> ToEntries(IReadOnlyList<ContextInput> content, long version, DateTimeOffset now) =>
        content.Select(c => new ContextEntry(version, c.Text, c.Role, now)).ToList();

    private sealed class SummaryRow
    {
        public string Id { get; set; } = "";
        public string Kind { get; set; } = "";
        public long Version { get; set; }
        public long BaseVersion { get; set; }
        public long Length { get; set; }
        public long Turns { get; set; }
        public long ProcessedVersion { get; set; }
        public long? LearnedVersion { get; set; }
        public string? Schedule { get; set; }
        public long CreatedAt { get; set; }
        public long UpdatedAt { get; set; }

        public ContextSummary ToSummary() => new(
            Id, Enum.Parse<ContextKind>(Kind), Version, BaseVersion, Length, Turns, ProcessedVersion, LearnedVersion, Schedule,
            Clock.FromUnix(CreatedAt), Clock.FromUnix(UpdatedAt));
    }

    private sealed class EntryRow
    {
        public long Version { get; set; }
        public string? Role { get; set; }
        public string Text { get; set; } = "";
        public long AddedAt { get; set; }
    }

    private sealed class LearnedRow
    {
        public string ContextId { get; set; } = "";
        public long Version { get; set; }
        public string Blocks { get; set; } = "[]";
        public string Provenance { get; set; } = "{}";

        public LearnedContext ToLearned() => new(
            ContextId,
            Version,
            (JsonSerializer.Deserialize<List<Block>>(Blocks, Json) ?? []).Select(OfThisVersion).ToList(),
            JsonSerializer.Deserialize<LearnedContextProvenance>(Provenance, Json)!);

        // Learned contexts stored before blocks were one type kept only label, value, limit and description.
        private Block OfThisVersion(Block block) => block.Id is null
            ? Block.OfLearned(ContextId, block.Label, block.Value, block.Limit, Version) with { Description = block.Description }
            : block;
    }
}
