namespace SleepTime.Storage.Tests;

public sealed class PostgresAgentStoreTests : AgentStoreTests
{
    protected override Task<SleepTimeDatabase> CreateDatabaseAsync() => TestDatabases.PostgresAsync();

    [PostgresFact]
    public Task Blocks_are_written_by_compare_and_swap_on_their_version_() => Blocks_are_written_by_compare_and_swap_on_their_version();

    [PostgresFact]
    public Task Concurrent_block_writes_on_one_version_have_exactly_one_winner_() => Concurrent_block_writes_on_one_version_have_exactly_one_winner();

    [PostgresFact]
    public Task Agents_blocks_and_sleep_time_agents_are_scoped_to_their_tenant_() => Agents_blocks_and_sleep_time_agents_are_scoped_to_their_tenant();

    [PostgresFact]
    public Task Messages_and_documents_are_numbered_per_agent_without_gaps_under_concurrency_() => Messages_and_documents_are_numbered_per_agent_without_gaps_under_concurrency();

    [PostgresFact]
    public Task A_memory_unit_commits_blocks_change_set_and_watermark_together_or_not_at_all_() => A_memory_unit_commits_blocks_change_set_and_watermark_together_or_not_at_all();

    [PostgresFact]
    public Task Concurrent_memory_units_on_one_block_never_lose_a_write_() => Concurrent_memory_units_on_one_block_never_lose_a_write();

    [PostgresFact]
    public Task Change_sets_keep_their_edits_and_two_reviewers_cannot_both_decide_() => Change_sets_keep_their_edits_and_two_reviewers_cannot_both_decide();

    [PostgresFact]
    public Task Archival_passages_keep_their_embeddings_() => Archival_passages_keep_their_embeddings();
}
