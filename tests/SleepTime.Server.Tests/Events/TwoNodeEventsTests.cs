using SleepTime.Server.Tests.Processes;
using Xunit.Abstractions;

namespace SleepTime.Server.Tests.Events;

/// <summary>
/// Two real server processes on one PostgreSQL database: an event published on one node reaches a subscriber on the
/// other (LISTEN/NOTIFY), and a subscriber that reconnects with <c>Last-Event-ID</c>, to either node, gets exactly
/// the events it missed, in the order a subscriber that never left saw them.
/// </summary>
public sealed class TwoNodeEventsTests(ITestOutputHelper output)
{
    private const string AdminKey = "st_two_node_events_admin_key";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string[] Final = ["run.succeeded", "run.failed", "run.skipped", "run.cancelled"];

    [PostgresFact]
    public async Task An_event_on_one_node_reaches_a_subscriber_on_the_other_and_a_reconnect_with_Last_Event_ID_misses_nothing()
    {
        await using var database = await ScratchPostgresDatabase.CreateAsync();
        Dictionary<string, string> NodeEnvironment(string node) => new()
        {
            ["SleepTime__Scheduling__Clustered"] = "true",
            ["SleepTime__Scheduling__NodeName"] = node,
            ["SleepTime__Server__RateLimitPerSecond"] = "0",
            ["SleepTime__Events__HeartbeatSeconds"] = "1",
        };

        await using var nodeA = await ServerProcess.StartAsync(["--postgres", database.ConnectionString], NodeEnvironment("node-a"), AdminKey);
        await using var nodeB = await ServerProcess.StartAsync(["--postgres", database.ConnectionString], NodeEnvironment("node-b"), AdminKey);
        using var clientA = nodeA.Client();
        using var clientB = nodeB.Client();
        clientA.Timeout = clientB.Timeout = Timeout * 2;
        var contexts = Enumerable.Range(0, 6).Select(i => $"e{i}").ToArray();
        foreach (var id in contexts)
        {
            await clientA.PostOkAsync("/api/contexts", new { id, text = $"fact {id}", schedule = new { on_change = false } });
        }

        // Every run is triggered through node A; the subscriber under test listens on node B.
        using var reference = await SseClient.OpenAsync(clientA, "/api/events");
        List<SseEvent> before;
        using (var onB = await SseClient.OpenAsync(clientB, "/api/events"))
        {
            foreach (var id in contexts[..3])
            {
                await clientA.PostOkAsync($"/api/contexts/{id}/runs", new { });
            }

            before = await onB.ReadUntilAsync(e => contexts[..3].All(id => e.Any(x => Final.Contains(x.Type) && Context(x) == id)), Timeout);
        }

        // run.queued is published by the node that queued the run: node A. Node B's subscriber has it.
        Assert.Equal(contexts[..3].Order(), before.Where(e => e.Type == "run.queued").Select(Context).Order());

        // Missed while disconnected.
        foreach (var id in contexts[3..])
        {
            await clientA.PostOkAsync($"/api/contexts/{id}/runs", new { });
        }

        var all = await reference.ReadUntilAsync(e => contexts.All(id => e.Any(x => Final.Contains(x.Type) && Context(x) == id)), Timeout);
        var lastSeen = before[^1].Id!.Value;
        var expectedAfter = all.SkipWhile(e => e.Id <= lastSeen).ToList();
        Assert.NotEmpty(expectedAfter);

        // Reconnect to node B and, as a client behind a load balancer may, to node A: both give exactly the rest.
        foreach (var client in new[] { clientB, clientA })
        {
            using var resumed = await SseClient.OpenAsync(client, "/api/events", lastSeen);
            var after = await resumed.ReadUntilAsync(e => e.Count > 0 && e[^1].Id >= all[^1].Id, Timeout);
            Assert.Equal(expectedAfter.Select(e => (e.Id, e.Type, Context(e))), after.Select(e => (e.Id, e.Type, Context(e))));
        }

        Assert.Equal(all.TakeWhile(e => e.Id <= lastSeen).Select(e => (e.Id, e.Type)), before.Select(e => (e.Id, e.Type)));
        var ids = all.Select(e => e.Id!.Value).ToList();
        Assert.Equal(ids.Order().Distinct(), ids);
        output.WriteLine($"{all.Count} events; node B's subscriber saw {before.Count} before it left; runs worked by: " +
            string.Join(", ", all.Where(e => Final.Contains(e.Type)).Select(e => e.Data.GetProperty("data").GetProperty("node").GetString())));
    }

    private static string? Context(SseEvent e) => e.Data.GetProperty("context_id").GetString();
}
