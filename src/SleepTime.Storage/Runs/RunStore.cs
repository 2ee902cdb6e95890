using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace SleepTime.Storage;

/// <summary>
/// Durable sleep runs of every sleeper: contexts' default sleepers and sleep-time agents. A partial unique index
/// allows one queued run per sleeper, so triggers that arrive while a run waits or works coalesce into exactly one
/// follow-up run. A run's end is written in one transaction with the memory it produced, its usage and watermark.
/// </summary>
public sealed class RunStore(SleepTimeDatabase database, TimeProvider? timeProvider = null)
{
    private const string Columns = """
        id AS Id, tenant_id AS TenantId, kind AS Kind, sleeper_id AS SleeperId, memory_id AS MemoryId, status AS Status, trigger_kind AS TriggerKind,
        reason AS Reason, error AS Error, attempt AS Attempt, coalesced AS Coalesced, cancel_requested AS CancelRequested, context_version AS ContextVersion,
        learned_version AS LearnedVersion, input_tokens AS InputTokens, output_tokens AS OutputTokens, reasoning_tokens AS ReasoningTokens,
        cached_input_tokens AS CachedInputTokens, estimated AS Estimated,
        cost AS Cost, node AS Node, queued_at AS QueuedAt, not_before AS NotBefore, started_at AS StartedAt, finished_at AS FinishedAt,
        change_set_id AS ChangeSetId, model AS Model, tool_errors AS ToolErrors, read_from AS ReadFrom, read_to AS ReadTo
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// Joins the sleeper's queued run (moving its start to <paramref name="notBefore"/> when <paramref name="reschedule"/>
    /// or when that is sooner) or queues a new one.
    /// </summary>
    public async Task<RunEnqueueResult> EnqueueAsync(string tenantId, string kind, string sleeperId, string memoryId, string trigger, DateTimeOffset notBefore, bool reschedule = true, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            var existing = await connection.QuerySingleOrDefaultAsync<Row>(
                $"SELECT {Columns} FROM runs WHERE tenant_id = @tenantId AND kind = @kind AND sleeper_id = @sleeperId AND status = 'queued'" + database.ForUpdate,
                new { tenantId, kind, sleeperId }, transaction).ConfigureAwait(false);
            if (existing is not null)
            {
                var next = reschedule ? Clock.ToUnix(notBefore) : Math.Min(existing.NotBefore, Clock.ToUnix(notBefore));
                await connection.ExecuteAsync(
                    "UPDATE runs SET coalesced = coalesced + 1, not_before = @next WHERE id = @id AND status = 'queued'",
                    new { id = existing.Id, next }, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                existing.Coalesced++;
                existing.NotBefore = next;
                return new RunEnqueueResult(existing.ToRecord(), true);
            }

            var row = new Row
            {
                Id = "run_" + Guid.NewGuid().ToString("N"),
                TenantId = tenantId,
                Kind = kind,
                SleeperId = sleeperId,
                MemoryId = memoryId,
                Status = RunStatus.Queued,
                TriggerKind = trigger,
                QueuedAt = Clock.ToUnix(time.GetUtcNow()),
                NotBefore = Clock.ToUnix(notBefore),
            };
            try
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO runs (id, tenant_id, kind, sleeper_id, memory_id, status, trigger_kind, queued_at, not_before)
                    VALUES (@Id, @TenantId, @Kind, @SleeperId, @MemoryId, @Status, @TriggerKind, @QueuedAt, @NotBefore)
                    """,
                    row, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new RunEnqueueResult(row.ToRecord(), false);
            }
            catch (DbException) when (attempt < 3)
            {
                // Another node queued one between our read and insert (PostgreSQL): join it instead.
            }
        }
    }

    public async Task<RunRecord?> GetAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Columns} FROM runs WHERE id = @runId AND tenant_id = @tenantId", new { tenantId, runId }).ConfigureAwait(false);
        return row?.ToRecord();
    }

    /// <summary>The tenant's runs, newest first.</summary>
    public async Task<IReadOnlyList<RunRecord>> ListAsync(string tenantId, RunFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(
            $"""
            SELECT {Columns} FROM runs
            WHERE tenant_id = @tenantId AND (@kind IS NULL OR kind = @kind) AND (@sleeperId IS NULL OR sleeper_id = @sleeperId)
              AND (@memoryId IS NULL OR memory_id = @memoryId) AND (@status IS NULL OR status = @status)
              AND (@before IS NULL OR queued_at < @before)
            ORDER BY queued_at DESC, id DESC LIMIT @limit
            """,
            new
            {
                tenantId,
                kind = filter.Kind,
                sleeperId = filter.SleeperId,
                memoryId = filter.MemoryId,
                status = filter.Status,
                before = filter.Before is { } b ? Clock.ToUnix(b) : (long?)null,
                limit = (long)Math.Clamp(filter.Limit, 1, 1000),
            }).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Live runs (queued or running) of every tenant, for re-arming the scheduler at start-up.</summary>
    public async Task<IReadOnlyList<RunRecord>> ListLiveAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>($"SELECT {Columns} FROM runs WHERE status IN ('queued', 'running') ORDER BY queued_at").ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<long> CountLiveAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM runs WHERE status IN ('queued', 'running')").ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the next run of the sleeper this node may work on: a run left running by a dead attempt (only the
    /// caller, holding the sleeper's single-flight lock, can see one) or the queued run whose time has come.
    /// The attempt count goes up by one.
    /// </summary>
    public async Task<RunRecord?> ClaimNextAsync(string tenantId, string kind, string sleeperId, string node, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var now = Clock.ToUnix(time.GetUtcNow());
        var row = await connection.QueryFirstOrDefaultAsync<Row>(
            $"""
            SELECT {Columns} FROM runs
            WHERE tenant_id = @tenantId AND kind = @kind AND sleeper_id = @sleeperId
              AND (status = 'running' OR (status = 'queued' AND not_before <= @now))
            ORDER BY CASE WHEN status = 'running' THEN 0 ELSE 1 END, queued_at
            LIMIT 1{database.ForUpdate}
            """,
            new { tenantId, kind, sleeperId, now }, transaction).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        await connection.ExecuteAsync(
            "UPDATE runs SET status = 'running', attempt = attempt + 1, node = @node, started_at = COALESCE(started_at, @now) WHERE id = @id",
            new { id = row.Id, node, now }, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        row.Status = RunStatus.Running;
        row.Attempt++;
        row.Node = node;
        row.StartedAt ??= now;
        return row.ToRecord();
    }

    /// <summary>The earliest start of the sleeper's queued run, if it has one.</summary>
    public async Task<DateTimeOffset?> NextQueuedAsync(string tenantId, string kind, string sleeperId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var value = await connection.ExecuteScalarAsync<long?>(
            "SELECT MIN(not_before) FROM runs WHERE tenant_id = @tenantId AND kind = @kind AND sleeper_id = @sleeperId AND status = 'queued'",
            new { tenantId, kind, sleeperId }).ConfigureAwait(false);
        return Clock.FromUnix(value);
    }

    /// <summary>Whether the sleeper has a queued or running run.</summary>
    public async Task<bool> HasLiveRunAsync(string tenantId, string kind, string sleeperId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM runs WHERE tenant_id = @tenantId AND kind = @kind AND sleeper_id = @sleeperId AND status IN ('queued', 'running')",
            new { tenantId, kind, sleeperId }).ConfigureAwait(false) > 0;
    }

    /// <summary>Finishes a queued run without running it: cancelled by a user or skipped by a budget.</summary>
    public async Task<bool> FinishQueuedAsync(string tenantId, string runId, string status, string reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            "UPDATE runs SET status = @status, reason = @reason, finished_at = @now WHERE id = @runId AND tenant_id = @tenantId AND status = 'queued'",
            new { tenantId, runId, status, reason, now = Clock.ToUnix(time.GetUtcNow()) }).ConfigureAwait(false) == 1;
    }

    /// <summary>Ends every live run of a sleeper whose memory was deleted.</summary>
    internal static Task CancelLiveAsync(DbConnection connection, DbTransaction transaction, string tenantId, string kind, string sleeperId, string reason, DateTimeOffset now) =>
        connection.ExecuteAsync(
            "UPDATE runs SET status = 'cancelled', reason = @reason, finished_at = @now WHERE tenant_id = @tenantId AND kind = @kind AND sleeper_id = @sleeperId AND status IN ('queued', 'running')",
            new { tenantId, kind, sleeperId, reason, now = Clock.ToUnix(now) }, transaction);

    /// <summary>Asks a running run to stop; it ends cancelled and commits nothing.</summary>
    public async Task<bool> RequestCancelAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            "UPDATE runs SET cancel_requested = 1 WHERE id = @runId AND tenant_id = @tenantId AND status = 'running'",
            new { tenantId, runId }).ConfigureAwait(false) == 1;
    }

    public async Task<bool> IsCancelRequestedAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT cancel_requested FROM runs WHERE id = @runId", new { runId }).ConfigureAwait(false) != 0;
    }

    /// <summary>Puts a failed attempt back in the queue for a retry at <paramref name="notBefore"/>.</summary>
    public async Task<bool> RequeueAsync(string runId, int attempt, string error, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // The retry keeps running status with a later start: it cannot become 'queued' while a follow-up run holds that slot.
        return await connection.ExecuteAsync(
            "UPDATE runs SET error = @error, not_before = @notBefore WHERE id = @runId AND status = 'running' AND attempt = @attempt",
            new { runId, attempt = (long)attempt, error, notBefore = Clock.ToUnix(notBefore) }).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Finishes one attempt: the run's final state, what it produced (a learned context by compare-and-swap on the
    /// current version, advancing the context's watermark; or an agent's change set with every block and the agent's
    /// watermark), and its usage in the ledger, all in one transaction.
    /// </summary>
    public async Task<RunCompletionResult> CompleteAsync(RunCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var run = await connection.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Columns} FROM runs WHERE id = @RunId" + database.ForUpdate, new { completion.RunId }, transaction).ConfigureAwait(false);
        if (run is null || run.Status != RunStatus.Running || run.Attempt != completion.Attempt
            || (run.CancelRequested != 0 && completion.Status != RunStatus.Cancelled))
        {
            return new RunCompletionResult(CompletionOutcome.NotOwned);
        }

        if (completion.Learned is not null
            && !await TenantContextStore.TryCommitAsync(connection, transaction, run.TenantId, completion.Learned, completion.ExpectedLearnedVersion, now).ConfigureAwait(false))
        {
            return new RunCompletionResult(CompletionOutcome.LearnedConflict);
        }

        ChangeSet? changeSet = null;
        var reason = completion.Reason;
        if (completion.Agent is { } agent)
        {
            try
            {
                (changeSet, reason) = await AgentSleep.CommitAsync(new SqlMemoryWriter(database, connection, transaction, run.TenantId, time), agent.Sleeper, agent.Result, cancellationToken).ConfigureAwait(false);
            }
            catch (SleepTimeConflictException)
            {
                return new RunCompletionResult(CompletionOutcome.LearnedConflict);
            }
        }

        await connection.ExecuteAsync(
            """
            UPDATE runs SET status = @Status, reason = @reason, error = @Error, context_version = @ContextVersion, learned_version = @learned,
              input_tokens = input_tokens + @input, output_tokens = output_tokens + @output, reasoning_tokens = reasoning_tokens + @reasoning,
              cached_input_tokens = cached_input_tokens + @cached, estimated = CASE WHEN @estimated = 1 THEN 1 ELSE estimated END,
              cost = cost + @Cost, finished_at = @now, change_set_id = @changeSetId, model = COALESCE(@Model, model), tool_errors = tool_errors + @ToolErrors,
              read_from = @readFrom, read_to = @readTo
            WHERE id = @RunId
            """,
            new
            {
                completion.Status,
                reason,
                completion.Error,
                completion.ContextVersion,
                learned = completion.Learned?.Version,
                input = completion.Usage.InputTokens,
                output = completion.Usage.OutputTokens,
                reasoning = completion.Usage.ReasoningTokens,
                cached = completion.Usage.CachedInputTokens,
                estimated = completion.Usage.Estimated ? 1L : 0L,
                completion.Cost,
                now = Clock.ToUnix(now),
                changeSetId = changeSet?.Id,
                completion.Model,
                ToolErrors = (long)completion.ToolErrors,
                readFrom = (completion.Agent?.Result.ReadFrom ?? completion.ReadFrom) is { } from ? JsonSerializer.Serialize(from, Json) : null,
                readTo = completion.Agent is { } c && completion.Status == RunStatus.Succeeded ? JsonSerializer.Serialize(c.Result.ReadTo, Json) : null,
                completion.RunId,
            },
            transaction).ConfigureAwait(false);
        if (completion.Usage.TotalTokens > 0)
        {
            await UsageLedger.RecordAsync(connection, transaction, run.TenantId, run.MemoryId ?? run.SleeperId, run.SleeperId, ComputePhase.Sleep, null, completion.RunId, null, completion.Usage, now).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RunCompletionResult(CompletionOutcome.Completed, changeSet, reason);
    }

    /// <summary>Adds the usage of a failed attempt that will be retried, so the run shows everything it cost.</summary>
    public async Task AddAttemptUsageAsync(string runId, TokenUsage usage, double cost, int toolErrors = 0, CancellationToken cancellationToken = default)
    {
        if (usage.TotalTokens == 0 && toolErrors == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await SleepTimeDatabase.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var run = await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM runs WHERE id = @runId", new { runId }, transaction).ConfigureAwait(false);
        if (run is null)
        {
            return;
        }

        await connection.ExecuteAsync(
            """
            UPDATE runs SET input_tokens = input_tokens + @input, output_tokens = output_tokens + @output, reasoning_tokens = reasoning_tokens + @reasoning,
              cached_input_tokens = cached_input_tokens + @cached, estimated = CASE WHEN @estimated = 1 THEN 1 ELSE estimated END,
              cost = cost + @cost, tool_errors = tool_errors + @toolErrors
            WHERE id = @runId
            """,
            new { runId, input = usage.InputTokens, output = usage.OutputTokens, reasoning = usage.ReasoningTokens, cached = usage.CachedInputTokens, estimated = usage.Estimated ? 1L : 0L, cost, toolErrors = (long)toolErrors }, transaction).ConfigureAwait(false);
        if (usage.TotalTokens > 0)
        {
            await UsageLedger.RecordAsync(connection, transaction, run.TenantId, run.MemoryId ?? run.SleeperId, run.SleeperId, ComputePhase.Sleep, null, runId, null, usage, time.GetUtcNow()).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string Kind { get; set; } = SleeperKind.Context;
        public string SleeperId { get; set; } = "";
        public string? MemoryId { get; set; }
        public string Status { get; set; } = "";
        public string TriggerKind { get; set; } = "";
        public string? Reason { get; set; }
        public string? Error { get; set; }
        public long Attempt { get; set; }
        public long Coalesced { get; set; }
        public long CancelRequested { get; set; }
        public long? ContextVersion { get; set; }
        public long? LearnedVersion { get; set; }
        public long InputTokens { get; set; }
        public long OutputTokens { get; set; }
        public long ReasoningTokens { get; set; }
        public long CachedInputTokens { get; set; }
        public long Estimated { get; set; }
        public double Cost { get; set; }
        public string? Node { get; set; }
        public long QueuedAt { get; set; }
        public long NotBefore { get; set; }
        public long? StartedAt { get; set; }
        public long? FinishedAt { get; set; }
        public string? ChangeSetId { get; set; }
        public string? Model { get; set; }
        public long ToolErrors { get; set; }
        public string? ReadFrom { get; set; }
        public string? ReadTo { get; set; }

        public RunRecord ToRecord() => new(
            Id, TenantId, Kind, SleeperId, MemoryId ?? SleeperId, Status, TriggerKind, Reason, Error, (int)Attempt, (int)Coalesced, CancelRequested != 0,
            ContextVersion, LearnedVersion, new TokenUsage(InputTokens, OutputTokens, ReasoningTokens, CachedInputTokens, Estimated != 0), Cost, Node,
            Clock.FromUnix(QueuedAt), Clock.FromUnix(NotBefore), Clock.FromUnix(StartedAt), Clock.FromUnix(FinishedAt),
            ChangeSetId, Model, (int)ToolErrors, Watermark(ReadFrom), Watermark(ReadTo));

        private static SleepTimeWatermark? Watermark(string? json) => json is null ? null : JsonSerializer.Deserialize<SleepTimeWatermark>(json, Json);
    }
}
