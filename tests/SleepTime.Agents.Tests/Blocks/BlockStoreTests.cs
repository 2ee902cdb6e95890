namespace SleepTime.Agents.Tests.Blocks;

public sealed class BlockStoreTests
{
    private readonly InMemoryBlockStore store = new();

    [Fact]
    public async Task A_write_with_the_version_read_succeeds_and_bumps_the_version()
    {
        var block = await store.CreateAsync(new NewBlock("human", "Name: Ada"), "user");

        var result = await store.TryUpdateAsync(block.Id, block.Version, "Name: Ada Lovelace", "sleep-time:s1");

        Assert.True(result.Updated);
        Assert.Equal(2, result.Current.Version);
        Assert.Equal("Name: Ada Lovelace", result.Current.Value);
        Assert.Equal("sleep-time:s1", result.Current.UpdatedBy);
    }

    [Fact]
    public async Task A_write_with_a_stale_version_changes_nothing_and_returns_the_current_block()
    {
        var block = await store.CreateAsync(new NewBlock("human", "v1"), "user");
        await store.TryUpdateAsync(block.Id, 1, "v2", "user");

        var stale = await store.TryUpdateAsync(block.Id, 1, "v2 from someone else", "sleep-time:s1");

        Assert.False(stale.Updated);
        Assert.Equal("v2", stale.Current.Value);
        Assert.Equal(2, stale.Current.Version);
    }

    [Theory]
    [InlineData("", 100, "label")]
    [InlineData("9lives", 100, "label")]
    [InlineData("has space", 100, "label")]
    [InlineData("ok", 0, "limit")]
    public async Task Invalid_blocks_are_refused_with_the_field_named(string label, int limit, string field)
    {
        var error = await Assert.ThrowsAsync<SleepTimeValidationException>(() => store.CreateAsync(new NewBlock(label, "", limit), "user"));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public async Task Values_over_the_limit_are_refused_on_create_and_on_update()
    {
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => store.CreateAsync(new NewBlock("persona", "123456", 5), "user"));
        var block = await store.CreateAsync(new NewBlock("persona", "12345", 5), "user");
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => store.TryUpdateAsync(block.Id, 1, "123456", "user"));
    }

    [Fact]
    public async Task Updating_an_unknown_block_throws_a_typed_error()
    {
        var error = await Assert.ThrowsAsync<BlockNotFoundException>(() => store.TryUpdateAsync("block-nope", 1, "x", "user"));
        Assert.Equal("block-nope", error.BlockId);
    }

    [Fact]
    public void Confirmed_lines_are_marked_in_the_value_and_removal_is_detected()
    {
        const string before = "- [confirmed] Allergic to peanuts\n- Likes tea\n[confirmed] Lives in Oslo";

        Assert.Equal(["- [confirmed] Allergic to peanuts", "[confirmed] Lives in Oslo"], ConfirmedLines.In(before));
        Assert.Empty(ConfirmedLines.Removed(before, before + "\n- Plays chess"));
        Assert.Equal(["[confirmed] Lives in Oslo"], ConfirmedLines.Removed(before, before.Replace("Oslo", "Bergen", StringComparison.Ordinal)));
        Assert.Equal(["[confirmed] Lives in Bergen"], ConfirmedLines.Added(before, before.Replace("Oslo", "Bergen", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Lives in Oslo", "[confirmed] Lives in Oslo")]
    [InlineData("  - Lives in Oslo", "  - [confirmed] Lives in Oslo")]
    [InlineData("- [confirmed] Lives in Oslo", "- [confirmed] Lives in Oslo")]
    public void A_person_confirms_a_line_by_marking_it(string line, string expected)
    {
        Assert.Equal(expected, ConfirmedLines.Mark(line));
        Assert.True(ConfirmedLines.IsConfirmed(expected));
    }

    [Fact]
    public void Blocks_are_shown_to_models_with_line_numbers()
    {
        Assert.Equal("1: a\n2: b", BlockText.WithLineNumbers("a\nb"));
        Assert.Equal("(empty)", BlockText.WithLineNumbers(""));
    }
}
