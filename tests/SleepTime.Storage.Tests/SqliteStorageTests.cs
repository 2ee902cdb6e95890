namespace SleepTime.Storage.Tests;

public sealed class SqliteStorageTests : StorageTests
{
    protected override Task<SleepTimeDatabase> CreateDatabaseAsync() => TestDatabases.SqliteAsync();

    [Fact]
    public Task Migrations_are_idempotent_() => Migrations_are_idempotent();

    [Fact]
    public Task Contexts_are_versioned_and_scoped_to_their_tenant_() => Contexts_are_versioned_and_scoped_to_their_tenant();

    [Fact]
    public Task Bad_content_is_rejected_and_changes_nothing_() => Bad_content_is_rejected_and_changes_nothing();

    [Fact]
    public Task A_write_at_a_version_lands_only_if_the_context_is_still_there_and_counts_unread_tokens_() => A_write_at_a_version_lands_only_if_the_context_is_still_there_and_counts_unread_tokens();

    [Fact]
    public Task Listing_pages_through_every_context_once_() => Listing_pages_through_every_context_once();

    [Fact]
    public Task Entries_page_in_order_with_their_total_and_only_in_their_tenant_() => Entries_page_in_order_with_their_total_and_only_in_their_tenant();

    [Fact]
    public Task Learned_contexts_commit_by_compare_and_swap_() => Learned_contexts_commit_by_compare_and_swap();

    [Fact]
    public Task Triggers_coalesce_into_one_queued_run_() => Triggers_coalesce_into_one_queued_run();

    [Fact]
    public Task A_run_commits_its_learned_context_and_usage_atomically_() => A_run_commits_its_learned_context_and_usage_atomically();

    [Fact]
    public Task Cancelling_stops_queued_and_running_runs_() => Cancelling_stops_queued_and_running_runs();

    [Fact]
    public Task Queries_and_usage_are_accounted_per_context_and_tenant_() => Queries_and_usage_are_accounted_per_context_and_tenant();

    [Fact]
    public Task Api_keys_are_stored_hashed_and_resolve_to_their_tenant_() => Api_keys_are_stored_hashed_and_resolve_to_their_tenant();

    [Fact]
    public Task Concurrent_appends_each_get_their_own_version_() => Concurrent_appends_each_get_their_own_version();
}
