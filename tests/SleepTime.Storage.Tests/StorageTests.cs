namespace SleepTime.Storage.Tests;

/// <summary>
/// One suite for every database: each derived class runs all of it against its own dialect. Each test gets a
/// database of its own so the suite runs in parallel.
/// </summary>
public abstract class StorageTests
{
    protected abstract Task<SleepTimeDatabase> CreateDatabaseAsync();

    protected async Task Migrations_are_idempotent()
    {
        await using var database = await CreateDatabaseAsync();
        var again = await Migrator.MigrateAsync(database);
        Assert.Empty(again);
    }

    protected async Task Contexts_are_versioned_and_scoped_to_their_tenant()
    {
        await using var database = await CreateDatabaseAsync();
        var tenants = new TenantStore(database);
        await tenants.CreateTenantAsync("a", "A");
        await tenants.CreateTenantAsync("b", "B");
        var a = new TenantContextStore(database, "a");
        var b = new TenantContextStore(database, "b");

        var created = await a.CreateAsync(ContextKind.Conversation, [ContextInput.Turn("user", "hello")], "c1");
        Assert.Equal(1, created.Version);
        var appended = await a.AppendAsync("c1", [ContextInput.Turn("assistant", "hi"), ContextInput.Turn("user", "2+2?")]);
        Assert.Equal(2, appended.Version);
        Assert.Equal(3, appended.Entries.Count);
        Assert.Equal("user: hello\nassistant: hi\nuser: 2+2?", appended.Render());
        Assert.Equal("assistant: hi\nuser: 2+2?", appended.RenderAfter(1));

        var replaced = await a.ReplaceAsync("c1", [ContextInput.Turn("user", "fresh")]);
        Assert.Equal(3, replaced.Version);
        Assert.Equal(3, replaced.BaseVersion);
        Assert.Single(replaced.Entries);

        Assert.Null(await b.GetAsync("c1"));
        await Assert.ThrowsAsync<ContextNotFoundException>(() => b.AppendAsync("c1", [ContextInput.Turn("user", "x")]));
        Assert.False(await b.DeleteAsync("c1"));
        await b.CreateAsync(ContextKind.Document, [ContextInput.Document("b's own")], "c1");
        Assert.Equal("fresh", (await a.GetAsync("c1"))!.Entries[0].Text);
        Assert.Equal("b's own", (await b.GetAsync("c1"))!.Entries[0].Text);

        var summary = await a.GetSummaryAsync("c1");
        Assert.Equal(1, summary!.Turns);
        Assert.Equal(5, summary.Length);
    }

    protected async Task Bad_content_is_rejected_and_changes_nothing()
    {
        await using var database = await CreateDatabaseAsync();
        var store = new TenantContextStore(database, "t");
        await store.CreateAsync(ContextKind.Document, [ContextInput.Document("text")], "doc");
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => store.CreateAsync(ContextKind.Document, [ContextInput.Document("again")], "doc"));
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => store.AppendAsync("doc", [ContextInput.Turn("user", "no roles in documents")]));
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => store.CreateAsync(ContextKind.Document, [ContextInput.Document("x")], "bad id!"));
        var doc = await store.GetAsync("doc");
        Assert.Equal(1, doc!.Version);
        Assert.Single(doc.Entries);
    }

    protected async Task A_write_at_a_version_lands_only_if_the_context_is_still_there_and_counts_unread_tokens()
    {
        await using var database = await CreateDatabaseAsync();
        var store = new TenantContextStore(database, "t");
        const string First = "The bakery opens at seven.";
        await store.CreateAsync(ContextKind.Document, [ContextInput.Document(First)], "doc");

        var written = await store.TryAppendAsync("doc", [ContextInput.Document("It closes at noon.")], expectedVersion: 1);
        var stale = await store.TryAppendAsync("doc", [ContextInput.Document("A stale write.")], expectedVersion: 1);

        Assert.Equal(2, written!.Version);
        Assert.Null(stale);
        var doc = await store.GetAsync("doc");
        Assert.Equal(["The bakery opens at seven.", "It closes at noon."], doc!.Entries.Select(e => e.Text));
        var unread = await store.UnreadAsync("doc");
        Assert.Equal(O200kTokenCounter.Instance.CountTokens(First) + O200kTokenCounter.Instance.CountTokens("It closes at noon."), unread.Tokens);

        Assert.Null(await store.TryReplaceAsync("doc", [ContextInput.Document("A stale start-over.")], expectedVersion: 1));
        var replaced = await store.TryReplaceAsync("doc", [ContextInput.Document("Started over.")], expectedVersion: 2);
        Assert.Equal((3, 3), (replaced!.Version, replaced.BaseVersion));
        Assert.Equal(["Started over."], (await store.GetAsync("doc"))!.Entries.Select(e => e.Text));
    }

    protected async Task Listing_pages_through_every_context_once()
    {
        await using var database = await CreateDatabaseAsync();
        var store = new TenantContextStore(database, "t");
        for (var i = 0; i < 7; i++)
        {
            await store.CreateAsync(ContextKind.Document, [ContextInput.Document($"doc {i}")], $"c{i}");
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await store.ListAsync(3, cursor);
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"c{i}"), seen);
    }

    protected async Task Entries_page_in_order_with_their_total_and_only_in_their_tenant()
    {
        await using var database = await CreateDatabaseAsync();
        var tenants = new TenantStore(database);
        await tenants.CreateTenantAsync("a", "A");
        await tenants.CreateTenantAsync("b", "B");
        var a = new TenantContextStore(database, "a");
        await a.CreateAsync(ContextKind.Conversation, [ContextInput.Turn("user", "t0"), ContextInput.Turn("assistant", "t1")], "c");
        await a.AppendAsync("c", [ContextInput.Turn("user", "t2")]);
        await a.AppendAsync("c", [ContextInput.Turn("assistant", "t3"), ContextInput.Turn("user", "t4")]);

        var pages = new List<ContextEntryPage>();
        for (long offset = 0; offset < 5; offset += 2)
        {
            pages.Add((await a.ListEntriesAsync("c", offset, 2))!);
        }

        Assert.Equal(["t0", "t1", "t2", "t3", "t4"], pages.SelectMany(p => p.Items).Select(e => e.Text));
        Assert.Equal([1L, 1, 2, 3, 3], pages.SelectMany(p => p.Items).Select(e => e.Version));
        Assert.All(pages, p => Assert.Equal(5, p.Total));
        Assert.Equal([0L, 2, 4], pages.Select(p => p.Offset));
        Assert.Empty((await a.ListEntriesAsync("c", 5, 2))!.Items);

        await a.ReplaceAsync("c", [ContextInput.Turn("user", "fresh")]);
        var replaced = (await a.ListEntriesAsync("c", 0, 10))!;
        Assert.Equal((1L, "fresh"), (replaced.Total, Assert.Single(replaced.Items).Text));
        Assert.Null(await new TenantContextStore(database, "b").ListEntriesAsync("c", 0, 10));
        Assert.Null(await a.ListEntriesAsync("missing", 0, 10));
    }

    protected async Task Learned_contexts_commit_by_compare_and_swap()
    {
        await using var database = await CreateDatabaseAsync();
        var store = new TenantContextStore(database, "t");
        await store.CreateAsync(ContextKind.Document, [ContextInput.Document("x = 3")], "c");
        Assert.True(await store.TryCommitAsync(Learned("c", 1, "v1", source: 1), null));
        Assert.False(await store.TryCommitAsync(Learned("c", 1, "again", source: 1), null));
        Assert.False(await store.TryCommitAsync(Learned("c", 3, "skips", source: 1), 1));
        Assert.True(await store.TryCommitAsync(Learned("c", 2, "v2", source: 1), 1));
        await Assert.ThrowsAsync<ContextNotFoundException>(() => store.TryCommitAsync(Learned("missing", 1, "x", 1), null));

        var current = await store.GetCurrentAsync("c");
        Assert.Equal(2, current!.Version);
        Assert.Equal("v2", current.Blocks[0].Value);
        Assert.Equal(new TokenUsage(10, 5), current.Provenance.Usage);
        Assert.Equal([2L, 1L], (await store.GetHistoryAsync("c")).Select(l => l.Version));
        Assert.Equal("v1", (await store.GetVersionAsync("c", 1))!.Blocks[0].Value);
        Assert.Equal(1, (await store.GetSummaryAsync("c"))!.ProcessedVersion);
        Assert.True(await store.DeleteAsync("c"));
        Assert.Empty(await store.GetHistoryAsync("c"));
    }

    protected async Task Triggers_coalesce_into_one_queued_run()
    {
        await using var database = await CreateDatabaseAsync();
        var runs = new RunStore(database);
        var now = DateTimeOffset.UtcNow;
        var first = await runs.EnqueueAsync("t", SleeperKind.Context, "c", "c", "change", now.AddSeconds(-1));
        var second = await runs.EnqueueAsync("t", SleeperKind.Context, "c", "c", "change", now.AddSeconds(-1));
        var other = await runs.EnqueueAsync("t", SleeperKind.Context, "d", "d", "manual", now.AddSeconds(-1));
        Assert.False(first.Coalesced);
        Assert.True(second.Coalesced);
        Assert.Equal(first.Run.Id, second.Run.Id);
        Assert.NotEqual(first.Run.Id, other.Run.Id);

        var claimed = await runs.ClaimNextAsync("t", SleeperKind.Context, "c", "node-1");
        Assert.Equal(first.Run.Id, claimed!.Id);
        Assert.Equal(1, claimed.Attempt);

        // While it runs, a new trigger queues exactly one follow-up, and later ones join that.
        var followUp = await runs.EnqueueAsync("t", SleeperKind.Context, "c", "c", "change", now.AddMinutes(5));
        var joined = await runs.EnqueueAsync("t", SleeperKind.Context, "c", "c", "change", now.AddMinutes(5));
        Assert.NotEqual(first.Run.Id, followUp.Run.Id);
        Assert.Equal(followUp.Run.Id, joined.Run.Id);

        // A run left running by a dead attempt is claimed again before the follow-up, with its attempt counted.
        var again = await runs.ClaimNextAsync("t", SleeperKind.Context, "c", "node-2");
        Assert.Equal(first.Run.Id, again!.Id);
        Assert.Equal(2, again.Attempt);
        Assert.Equal(CompletionOutcome.NotOwned, (await runs.CompleteAsync(new RunCompletion(first.Run.Id, 1, RunStatus.Succeeded, default, 0, 1))).Outcome);
        Assert.Equal(CompletionOutcome.Completed, (await runs.CompleteAsync(new RunCompletion(first.Run.Id, 2, RunStatus.Failed, new TokenUsage(7, 3), 0.5, 1, Error: "boom"))).Outcome);

        // The follow-up is not due yet.
        Assert.Null(await runs.ClaimNextAsync("t", SleeperKind.Context, "c", "node-1"));
        Assert.Equal(2, (await runs.ListAsync("t", new RunFilter(SleeperKind.Context, "c", Limit: 10))).Count);
        var done = await runs.GetAsync("t", first.Run.Id);
        Assert.Equal(RunStatus.Failed, done!.Status);
        Assert.Equal("boom", done.Error);
        Assert.Equal(10, done.Usage.TotalTokens);
        Assert.Null(await runs.GetAsync("other-tenant", first.Run.Id));
    }

    protected async Task A_run_commits_its_learned_context_and_usage_atomically()
    {
        await using var database = await CreateDatabaseAsync();
        var store = new TenantContextStore(database, "t");
        var runs = new RunStore(database);
        var ledger = new UsageLedger(database);
        await store.CreateAsync(ContextKind.Document, [ContextInput.Document("x = 3")], "c");
        var run = (await runs.EnqueueAsync("t", SleeperKind.Context, "c", "c", "manual", DateTimeOffset.UtcNow.AddSeconds(-1))).Run;
        var claimed = await runs.ClaimNextAsync("t", SleeperKind.Context, "c", "n");

        // Someone else committed version 1 first: the run's version 1 is refused and nothing of it is written.
        Assert.True(await store.TryCommitAsync(Learned("c", 1, "other", 1), null));
        var conflict = (await runs.CompleteAsync(new RunCompletion(run.Id, claimed!.Attempt, RunStatus.Succeeded, new TokenUsage(10, 5), 1, 1, Learned("c", 1, "mine", 1), null))).Outcome;
        Assert.Equal(CompletionOutcome.LearnedConflict, conflict);
        Assert.Equal(RunStatus.Running, (await runs.GetAsync("t", run.Id))!.Status);
        Assert.Equal(0, await ledger.SleepTokensTodayAsync("t"));

        var ok = (await runs.CompleteAsync(new RunCompletion(run.Id, claimed.Attempt, RunStatus.Succeeded, new TokenUsage(10, 5), 1, 1, Learned("c", 2, "mine", 1), 1))).Outcome;
        Assert.Equal(CompletionOutcome.Completed, ok);
        var finished = await runs.GetAsync("t", run.Id);
        Assert.Equal(RunStatus.Succeeded, finished!.Status);
        Assert.Equal(2, finished.LearnedVersion);
        Assert.Equal("mine", (await store.GetCurrentAsync("c"))!.Blocks[0].Value);
        Assert.Equal(15, await ledger.SleepTokensTodayAsync("t"));
        Assert.Equal(15, await ledger.SleepTokensTodayAsync("t", "c"));
        Assert.Equal(0, await ledger.SleepTokensTodayAsync("t", "other"));
    }

    protected async Task Cancelling_stops_queued_and_running_runs()
    {
        await using var database = await CreateDatabaseAsync();
        var runs = new RunStore(database);
        var queued = (await runs.EnqueueAsync("t", SleeperKind.Context, "c", "c", "manual", DateTimeOffset.UtcNow.AddSeconds(-1))).Run;
        Assert.False(await runs.FinishQueuedAsync("x", queued.Id, RunStatus.Cancelled, "wrong tenant"));
        Assert.True(await runs.FinishQueuedAsync("t", queued.Id, RunStatus.Cancelled, "by user"));
        Assert.Equal(RunStatus.Cancelled, (await runs.GetAsync("t", queued.Id))!.Status);

        var running = (await runs.EnqueueAsync("t", SleeperKind.Context, "c", "c", "manual", DateTimeOffset.UtcNow.AddSeconds(-1))).Run;
        var claimed = await runs.ClaimNextAsync("t", SleeperKind.Context, "c", "n");
        Assert.True(await runs.RequestCancelAsync("t", running.Id));
        Assert.True(await runs.IsCancelRequestedAsync(running.Id));
        Assert.Equal(CompletionOutcome.NotOwned, (await runs.CompleteAsync(new RunCompletion(running.Id, claimed!.Attempt, RunStatus.Succeeded, default, 0, 1))).Outcome);
        Assert.Equal(CompletionOutcome.Completed, (await runs.CompleteAsync(new RunCompletion(running.Id, claimed.Attempt, RunStatus.Cancelled, default, 0, 1, Reason: "cancelled"))).Outcome);
        Assert.Equal(0, await runs.CountLiveAsync());
    }

    protected async Task Queries_and_usage_are_accounted_per_context_and_tenant()
    {
        await using var database = await CreateDatabaseAsync();
        var queries = new QueryStore(database);
        var ledger = new UsageLedger(database);
        var answer = new Answer("c", "q?", "The answer is 4", "4", AnswerArm.SleepTime, AnswerBudget.Default, 2, 1, "m", "answer.v1", new TokenUsage(100, 10), TimeSpan.FromMilliseconds(12));
        var recorded = await queries.RecordAsync("t", answer);
        await queries.RecordAsync("t", answer with { Arm = AnswerArm.Baseline, LearnedContextVersion = null, Usage = new TokenUsage(100, 200) });
        await queries.RecordAsync("t", answer with { ContextId = "d" });

        var fetched = await queries.GetAsync("t", recorded.Id);
        Assert.Equal("4", fetched!.FinalAnswer);
        Assert.Equal(1, fetched.LearnedVersion);
        Assert.Null(await queries.GetAsync("u", recorded.Id));
        Assert.Equal(2, (await queries.ListAsync("t", "c", 10)).Count);

        var context = await ledger.TotalsAsync("t", "c");
        Assert.Equal(1, context.Queries);
        Assert.Equal(1, context.BaselineQueries);
        Assert.Equal(110, context.Test.TotalTokens);
        Assert.Equal(300, context.Baseline.TotalTokens);
        var tenant = await ledger.TotalsAsync("t");
        Assert.Equal(2, tenant.Queries);
        Assert.Equal(0, (await ledger.TotalsAsync("u")).Queries);
    }

    protected async Task Api_keys_are_stored_hashed_and_resolve_to_their_tenant()
    {
        await using var database = await CreateDatabaseAsync();
        var tenants = new TenantStore(database);
        await tenants.CreateTenantAsync("acme", "Acme", dailyTokenCap: 1000);
        Assert.False(await tenants.AnyAdminKeyAsync());
        var (key, identity) = await tenants.CreateKeyAsync("acme", "ci", isAdmin: true);
        Assert.StartsWith(ApiKeys.Prefix, key);
        Assert.True(await tenants.AnyAdminKeyAsync());
        var found = await tenants.FindKeyAsync(key);
        Assert.Equal(identity, found);
        Assert.Null(await tenants.FindKeyAsync(key + "x"));
        Assert.Equal(1000, (await tenants.GetTenantAsync("acme"))!.DailyTokenCap);
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => tenants.CreateTenantAsync("acme", "again"));
        Assert.True(await tenants.RevokeKeyAsync("acme", identity.KeyId));
        Assert.Null(await tenants.FindKeyAsync(key));
    }

    protected async Task Concurrent_appends_each_get_their_own_version()
    {
        await using var database = await CreateDatabaseAsync();
        var store = new TenantContextStore(database, "t");
        await store.CreateAsync(ContextKind.Document, [ContextInput.Document("start")], "c");
        var writes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => store.AppendAsync("c", [ContextInput.Document($"line {i}")]))));
        Assert.Equal(Enumerable.Range(2, 20).Select(v => (long)v), writes.Select(w => w.Version).Order());
        var final = await store.GetAsync("c");
        Assert.Equal(21, final!.Version);
        Assert.Equal(21, final.Entries.Count);
    }

    private static LearnedContext Learned(string contextId, long version, string text, long source) =>
        new(contextId, version, [Block.OfLearned("ctx", "learned_context", text, 8000)],
            new LearnedContextProvenance(source, "m", "sleep-general", 1, 1, false, version > 1 ? version - 1 : null, new TokenUsage(10, 5), DateTimeOffset.UtcNow));
}
