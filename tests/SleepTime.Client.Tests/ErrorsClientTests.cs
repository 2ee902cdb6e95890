using System.Net;

namespace SleepTime.Client.Tests;

public sealed class ErrorsClientTests
{
    [Fact]
    public async Task Another_tenants_context_is_a_404_for_every_resource_of_it()
    {
        await using var server = await LiveServer.StartAsync();
        using var owner = await server.TenantClientAsync("owner");
        using var stranger = await server.TenantClientAsync("stranger");
        await owner.Contexts.CreateDocumentAsync("secret = 7.", id: "private");
        var run = await owner.Runs.TriggerAsync("private");

        foreach (var call in new Func<Task>[]
        {
            () => stranger.Contexts.GetAsync("private"),
            () => stranger.Contexts.AppendTextAsync("private", "mine now"),
            () => stranger.Learned.HistoryAsync("private"),
            () => stranger.Queries.AskAsync("private", "What is the secret?"),
            () => stranger.Runs.GetAsync(run.Id),
            () => stranger.Usage.ContextAsync("private"),
        })
        {
            var refused = await Assert.ThrowsAsync<SleepTimeApiException>(call);
            Assert.Equal(HttpStatusCode.NotFound, refused.Status);
            Assert.Equal("Not found", refused.Title);
        }

        Assert.Equal(11L, (await owner.Contexts.GetAsync("private")).Length);
    }

    [Fact]
    public async Task A_problem_detail_becomes_one_typed_exception_with_status_title_detail_type_and_field()
    {
        await using var server = await LiveServer.StartAsync(settings: new() { ["SleepTime:Server:MaxContextChars"] = "100" });
        using var client = await server.TenantClientAsync("problems");

        var badLimit = await Assert.ThrowsAsync<SleepTimeApiException>(() => client.Contexts.ListAsync(limit: 0));
        Assert.Equal((HttpStatusCode.BadRequest, "Invalid request", "limit", "https://httpstatuses.io/400"), (badLimit.Status, badLimit.Title, badLimit.Field, badLimit.Type));
        Assert.Contains("between 1 and 1000", badLimit.Detail, StringComparison.Ordinal);
        Assert.Contains("between 1 and 1000", badLimit.Message, StringComparison.Ordinal);

        await client.Contexts.CreateDocumentAsync("short", id: "doc");
        var tooLarge = await Assert.ThrowsAsync<SleepTimeApiException>(() => client.Contexts.AppendTextAsync("doc", new string('x', 200)));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "Too large"), (tooLarge.Status, tooLarge.Title));
        Assert.Equal(5L, (await client.Contexts.GetAsync("doc")).Length);

        using var noKey = server.Client(key: null);
        var unauthorized = await Assert.ThrowsAsync<SleepTimeApiException>(() => noKey.Contexts.ListAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.Status);
    }
}
