using System.Net;
using SleepTime.Server;

namespace SleepTime.Client.Tests;

public sealed class ContextsClientTests
{
    [Fact]
    public async Task Create_list_get_append_replace_schedule_and_delete_use_the_shared_records()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = await server.TenantClientAsync("contexts");

        var document = await client.Contexts.CreateDocumentAsync("Alice has 3 apples.", id: "doc-1", schedule: new SchedulePolicy { OnChange = false });
        Assert.Equal(("doc-1", "document", 19L), (document.Id, document.Kind, document.Length));
        var conversation = await client.Contexts.CreateConversationAsync([new ContentItem("Hi", "user"), new ContentItem("Hello", "assistant")]);
        Assert.Equal(("conversation", 2L), (conversation.Kind, conversation.Turns));

        var firstPage = await client.Contexts.ListAsync(limit: 1);
        Assert.Single(firstPage.Items);
        Assert.NotNull(firstPage.NextCursor);
        var all = await client.Contexts.ListAllAsync(pageSize: 1).ToListAsync();
        Assert.Equal(new[] { "doc-1", conversation.Id }.Order(), all.Select(c => c.Id).Order());

        var appended = await client.Contexts.AppendTextAsync("doc-1", " Bob has 2.");
        Assert.Equal(30L, appended.Length);
        Assert.True(appended.Version > document.Version);
        var turns = await client.Contexts.AppendTurnsAsync(conversation.Id, [new ContentItem("How many apples?", "user")]);
        Assert.Equal(3L, turns.Turns);

        var withEntries = await client.Contexts.GetAsync("doc-1");
        Assert.Equal(["Alice has 3 apples.", " Bob has 2."], withEntries.Entries!.Select(e => e.Text));
        Assert.Null((await client.Contexts.GetAsync("doc-1", entries: false)).Entries);

        var replaced = await client.Contexts.ReplaceAsync("doc-1", new WriteContextRequest("Start over.", null));
        Assert.Equal(11L, replaced.Length);

        Assert.False((await client.Contexts.GetScheduleAsync("doc-1")).OnChange);
        var policy = await client.Contexts.SetScheduleAsync("doc-1", new SchedulePolicy { OnChange = false, EveryTurns = 4, Variant = SleepPromptVariant.General });
        Assert.Equal(4, policy.EveryTurns);
        Assert.Equal(4, (await client.Contexts.GetScheduleAsync("doc-1")).EveryTurns);

        await client.Contexts.DeleteAsync("doc-1");
        var gone = await Assert.ThrowsAsync<SleepTimeApiException>(() => client.Contexts.GetAsync("doc-1"));
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task Entries_page_through_a_context_in_order_and_only_in_its_tenant()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = await server.TenantClientAsync("entries");
        using var other = await server.TenantClientAsync("entries-other");
        var ct = Waits.Deadline();
        var turns = Enumerable.Range(0, 7).Select(i => new ContentItem($"turn {i}", i % 2 == 0 ? "user" : "assistant")).ToList();
        await client.Contexts.CreateConversationAsync(turns[..3], id: "chat", schedule: new SchedulePolicy { OnChange = false }, cancellationToken: ct);
        await client.Contexts.AppendTurnsAsync("chat", turns[3..], ct);

        var pages = new List<EntryPageView>();
        for (var offset = 0L; offset < 7; offset += 3)
        {
            pages.Add(await client.Contexts.ListEntriesAsync("chat", offset, limit: 3, ct));
        }

        Assert.Equal(turns.Select(t => t.Text), pages.SelectMany(p => p.Items).Select(e => e.Text));
        Assert.Equal([3, 3, 1], pages.Select(p => p.Items.Count));
        Assert.All(pages, p => Assert.Equal(7, p.Total));
        var tooMany = await Assert.ThrowsAsync<SleepTimeApiException>(() => client.Contexts.ListEntriesAsync("chat", limit: 501, cancellationToken: ct));
        Assert.Equal((HttpStatusCode.BadRequest, "limit"), (tooMany.Status, tooMany.Field));
        var elsewhere = await Assert.ThrowsAsync<SleepTimeApiException>(() => other.Contexts.ListEntriesAsync("chat", cancellationToken: ct));
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.Status);
    }
}
