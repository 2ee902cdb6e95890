using SleepTime.Client.Events;
using SleepTime.Server;

namespace SleepTime.Client.Tests;

public sealed class EventsClientTests
{
    [Fact]
    public async Task Events_resume_after_dropped_connections_with_no_event_lost_or_repeated()
    {
        await using var server = await LiveServer.StartAsync();
        var tenant = await server.TenantClientAsync("events");
        tenant.Dispose();
        using var admin = server.Client();
        var key = (await admin.Tenants.CreateKeyAsync("events", "stream")).ApiKey;
        var network = new DroppingHandler(drops: 3, eventsPerConnection: 1);
        using var dropping = server.Client(key, network);
        using var client = server.Client(key);
        var ct = Waits.Deadline(120);
        await client.Contexts.CreateDocumentAsync("x = 1.", id: "doc", schedule: new SchedulePolicy { OnChange = false }, cancellationToken: ct);

        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new EventStreamOptions { ReconnectDelay = TimeSpan.FromMilliseconds(20), Connected = () => connected.TrySetResult() };
        var received = new List<SleepTimeEvent>();
        const int Runs = 3;
        var following = Task.Run(async () =>
        {
            await foreach (var e in dropping.Events.ContextAsync("doc", options: options, cancellationToken: ct))
            {
                received.Add(e);
                if (received.Count(r => r.Type == "memory.updated") == Runs)
                {
                    return;
                }
            }
        }, ct);
        await connected.Task.WaitAsync(ct);

        for (var i = 0; i < Runs; i++)
        {
            await client.Contexts.AppendTextAsync("doc", $" step {i}.", ct);
            Assert.Equal(RunStatus.Succeeded, (await client.Runs.WaitAsync((await client.Runs.TriggerAsync("doc", ct)).Id, Waits.Poll, ct)).Status);
        }

        await following.WaitAsync(ct);

        var ids = received.Select(e => e.Id!.Value).ToList();
        Assert.Equal(ids.Distinct().Order(), ids);
        Assert.True(network.ResumedAfter.Count > 3, $"expected reconnections: {string.Join(",", network.ResumedAfter)}");
        Assert.Null(network.ResumedAfter[0]);
        Assert.Equal(ids.Take(3).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), network.ResumedAfter.Skip(1).Take(3));

        // The same stream read in one piece from the start of the log holds exactly these events.
        var fromStart = new List<SleepTimeEvent>();
        await foreach (var e in client.Events.ContextAsync("doc", lastEventId: 0, cancellationToken: ct))
        {
            fromStart.Add(e);
            if (fromStart.Count == received.Count)
            {
                break;
            }
        }

        Assert.Equal(fromStart.Select(e => (e.Id, e.Type)), received.Select(e => (e.Id, e.Type)));
        Assert.Equal(Runs, received.Count(e => e.Type == "run.succeeded"));
        var succeeded = received.Where(e => e.Type == "run.succeeded").Select(e => e.Run!).ToList();
        Assert.All(succeeded, r => Assert.Equal(("doc", RunStatus.Succeeded), (r.ContextId, r.Status)));
        Assert.All(received, e => Assert.Equal("doc", e.MemoryId));
    }

    [Fact]
    public async Task A_stream_dropped_before_its_first_event_resumes_from_where_it_was_ready_and_misses_nothing()
    {
        await using var server = await LiveServer.StartAsync();
        (await server.TenantClientAsync("gap")).Dispose();
        using var admin = server.Client();
        var key = (await admin.Tenants.CreateKeyAsync("gap", "stream")).ApiKey;
        var network = new DroppingHandler(drops: 1, eventsPerConnection: 0);
        using var dropping = server.Client(key, network);
        using var client = server.Client(key);
        var ct = Waits.Deadline(120);
        await client.Contexts.CreateDocumentAsync("x = 1.", id: "doc", schedule: new SchedulePolicy { OnChange = false }, cancellationToken: ct);

        // The follower is held between the drop and its reconnection while a whole run happens: the gap.
        var dropped = new TaskCompletionSource<long?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var gapOver = new ManualResetEventSlim();
        var options = new EventStreamOptions
        {
            ReconnectDelay = TimeSpan.FromMilliseconds(20),
            Reconnecting = (_, after) =>
            {
                dropped.TrySetResult(after);
                gapOver.Wait(ct);
            },
        };
        var received = new List<SleepTimeEvent>();
        var following = Task.Run(async () =>
        {
            await foreach (var e in dropping.Events.ContextAsync("doc", options: options, cancellationToken: ct))
            {
                received.Add(e);
                if (received.Count(r => r.Type == "run.succeeded") == 2)
                {
                    return;
                }
            }
        }, ct);

        var resumeFrom = await dropped.Task.WaitAsync(ct);
        Assert.NotNull(resumeFrom);
        var inTheGap = await client.Runs.WaitAsync((await client.Runs.TriggerAsync("doc", ct)).Id, Waits.Poll, ct);
        gapOver.Set();
        await client.Contexts.AppendTextAsync("doc", " y = 2.", ct);
        var after = await client.Runs.WaitAsync((await client.Runs.TriggerAsync("doc", ct)).Id, Waits.Poll, ct);
        await following.WaitAsync(ct);

        Assert.Equal([null, resumeFrom.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)], network.ResumedAfter.Take(2));
        Assert.Equal([inTheGap.Id, after.Id], received.Where(e => e.Type == "run.succeeded").Select(e => e.Run!.Id));
        var ids = received.Select(e => e.Id!.Value).ToList();
        Assert.Equal(ids.Distinct().Order(), ids);
    }
}
