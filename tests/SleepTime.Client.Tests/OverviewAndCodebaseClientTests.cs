using System.Net;
using SleepTime.Server;

namespace SleepTime.Client.Tests;

public sealed class OverviewAndCodebaseClientTests
{
    [Fact]
    public async Task The_overview_counts_the_tenants_contexts_and_has_one_entry_per_day_asked_for()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = await server.TenantClientAsync("overview");
        using var other = await server.TenantClientAsync("overview-other");
        var ct = Waits.Deadline();
        await client.Contexts.CreateDocumentAsync("x = 3.", id: "a", cancellationToken: ct);
        await client.Contexts.CreateDocumentAsync("y = 4.", id: "b", cancellationToken: ct);
        await other.Contexts.CreateDocumentAsync("z = 5.", id: "c", cancellationToken: ct);

        var overview = await client.Usage.OverviewAsync(days: 3, ct);

        Assert.Equal((2L, 0L), (overview.Contexts, overview.Agents));
        Assert.Equal(3, overview.Days.Count);
        var refused = await Assert.ThrowsAsync<SleepTimeApiException>(() => client.Usage.OverviewAsync(days: 0, ct));
        Assert.Equal((HttpStatusCode.BadRequest, "days"), (refused.Status, refused.Field));
    }

    [Fact]
    public async Task A_codebase_context_is_created_under_the_root_and_moved_to_a_new_commit()
    {
        var root = Path.Combine(Path.GetTempPath(), "sleeptime-client-codebases", Guid.NewGuid().ToString("N"));
        var fixture = await CodebaseFixture.CreateAsync(Path.Combine(root, "shop"));
        await using var server = await LiveServer.StartAsync(settings: new() { ["SleepTime:Codebases:Root"] = root });
        using var client = await server.TenantClientAsync("codebases");
        var ct = Waits.Deadline();

        var created = await client.Contexts.CreateCodebaseAsync("shop", id: "shop", cancellationToken: ct);
        Assert.Equal(("shop", "codebase", 1L), (created.Id, created.Kind, created.Version));

        var commit = await fixture.CommitAsync("Add a changelog", new Dictionary<string, string?> { ["CHANGELOG.md"] = "# Changes\n" }, ct);
        var moved = await client.Contexts.MoveCodebaseAsync("shop", commit, ct);
        Assert.Equal(2L, moved.Version);

        var outside = await Assert.ThrowsAsync<SleepTimeApiException>(() => client.Contexts.CreateCodebaseAsync("../elsewhere", cancellationToken: ct));
        Assert.Equal((HttpStatusCode.BadRequest, "path"), (outside.Status, outside.Field));
    }
}
