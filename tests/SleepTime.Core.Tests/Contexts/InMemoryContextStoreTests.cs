namespace SleepTime.Tests.Contexts;

public class InMemoryContextStoreTests
{
    private readonly InMemoryContextStore store = new();

    [Fact]
    public async Task Appends_add_entries_stamped_with_the_new_version()
    {
        var created = await store.CreateAsync(ContextKind.Document, [ContextInput.Document("Ann has 3 apples.")], "doc-1");
        var appended = await store.AppendAsync("doc-1", [ContextInput.Document("Bob has 5 pears.")]);

        Assert.Equal(1, created.Version);
        Assert.Equal(2, appended.Version);
        Assert.Equal(1, appended.BaseVersion);
        Assert.Equal([1L, 2L], appended.Entries.Select(e => e.Version));
        Assert.Equal("Ann has 3 apples.\nBob has 5 pears.", appended.Render());
        Assert.Equal("Bob has 5 pears.", appended.RenderAfter(1));
        Assert.True(appended.CanExtend(1));
    }

    [Fact]
    public async Task Replace_starts_over_so_an_older_learned_context_cannot_be_extended()
    {
        await store.CreateAsync(ContextKind.Document, [ContextInput.Document("first")], "doc");
        await store.AppendAsync("doc", [ContextInput.Document("second")]);
        var replaced = await store.ReplaceAsync("doc", [ContextInput.Document("brand new")]);

        Assert.Equal(3, replaced.Version);
        Assert.Equal(3, replaced.BaseVersion);
        Assert.Equal("brand new", replaced.Render());
        Assert.False(replaced.CanExtend(2));
        Assert.True(replaced.CanExtend(3));
    }

    [Fact]
    public async Task Conversations_render_turns_with_roles_and_require_a_known_role()
    {
        var conversation = await store.CreateAsync(ContextKind.Conversation, [ContextInput.Turn("user", "Hi"), ContextInput.Turn("assistant", "Hello!")]);

        Assert.Equal("user: Hi\nassistant: Hello!", conversation.Render());
        var error = await Assert.ThrowsAsync<SleepTimeValidationException>(() => store.AppendAsync(conversation.Id, [ContextInput.Document("no role")]));
        Assert.Equal("role", error.Field);
        Assert.Equal(1, (await store.GetAsync(conversation.Id))!.Version);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Empty_content_is_rejected_and_nothing_is_stored(string text)
    {
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => store.CreateAsync(ContextKind.Document, [ContextInput.Document(text)], "empty"));
        Assert.Null(await store.GetAsync("empty"));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("")]
    public async Task Bad_ids_are_rejected(string id)
    {
        var error = await Assert.ThrowsAsync<SleepTimeValidationException>(() => store.CreateAsync(ContextKind.Document, [ContextInput.Document("x")], id));
        Assert.Equal("id", error.Field);
    }

    [Fact]
    public async Task Writing_to_a_missing_context_says_which_one()
    {
        var error = await Assert.ThrowsAsync<ContextNotFoundException>(() => store.AppendAsync("nope", [ContextInput.Document("x")]));
        Assert.Equal("nope", error.ContextId);
    }

    [Fact]
    public async Task Commit_is_compare_and_swap_on_the_current_version()
    {
        await store.CreateAsync(ContextKind.Document, [ContextInput.Document("text")], "c");
        var first = Learned("c", 1, "one");
        var second = Learned("c", 2, "two");

        Assert.False(await store.TryCommitAsync(second, expectedCurrentVersion: null));
        Assert.True(await store.TryCommitAsync(first, expectedCurrentVersion: null));
        Assert.False(await store.TryCommitAsync(Learned("c", 1, "rival"), expectedCurrentVersion: null));
        Assert.False(await store.TryCommitAsync(second, expectedCurrentVersion: 0));
        Assert.True(await store.TryCommitAsync(second, expectedCurrentVersion: 1));

        Assert.Equal("two", (await store.GetCurrentAsync("c"))!.Blocks[0].Value);
        Assert.Equal([2L, 1L], (await store.GetHistoryAsync("c")).Select(l => l.Version));
        Assert.Equal("one", (await store.GetVersionAsync("c", 1))!.Blocks[0].Value);
    }

    [Fact]
    public async Task Delete_removes_the_context_and_its_learned_contexts()
    {
        await store.CreateAsync(ContextKind.Document, [ContextInput.Document("text")], "gone");
        await store.TryCommitAsync(Learned("gone", 1, "memory"), null);

        Assert.True(await store.DeleteAsync("gone"));
        Assert.False(await store.DeleteAsync("gone"));
        Assert.Null(await store.GetAsync("gone"));
        Assert.Null(await store.GetCurrentAsync("gone"));
    }

    internal static LearnedContext Learned(string contextId, long version, string memory) => new(
        contextId,
        version,
        [Block.OfLearned("ctx", "learned_context", memory, 8000)],
        new LearnedContextProvenance(1, "m", "sleep-general", 1, 1, false, version == 1 ? null : version - 1, TokenUsage.Zero, DateTimeOffset.UnixEpoch));
}
