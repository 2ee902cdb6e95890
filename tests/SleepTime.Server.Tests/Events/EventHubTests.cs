namespace SleepTime.Server.Tests.Events;

public sealed class EventHubTests
{
    private readonly EventHub hub = new();

    [Fact]
    public void Agent_events_never_reach_context_streams_even_when_the_ids_are_equal()
    {
        using var tenantContexts = hub.Subscribe("t1", null);
        using var sameIdContext = hub.Subscribe("t1", "shared-id");
        using var agent = hub.Subscribe("t1", "shared-id", EventStream.Agents);

        hub.Publish(new ServerEvent("sleeptime_run.queued", "t1", "shared-id", new { }, DateTimeOffset.UnixEpoch, EventStream.Agents));
        hub.Publish(new ServerEvent(ServerEvent.RunQueued, "t1", "shared-id", new { }, DateTimeOffset.UnixEpoch));

        Assert.Equal([ServerEvent.RunQueued], Drain(tenantContexts));
        Assert.Equal([ServerEvent.RunQueued], Drain(sameIdContext));
        Assert.Equal(["sleeptime_run.queued"], Drain(agent));
    }

    [Fact]
    public void Events_stay_within_their_tenant()
    {
        using var other = hub.Subscribe("t2", null);

        hub.Publish(new ServerEvent(ServerEvent.RunQueued, "t1", "c", new { }, DateTimeOffset.UnixEpoch));

        Assert.Empty(Drain(other));
    }

    private static List<string> Drain(EventHub.Subscription subscription)
    {
        using var done = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var types = new List<string>();
        try
        {
            var reader = subscription.ReadAllAsync(done.Token).GetAsyncEnumerator(done.Token);
            while (reader.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                types.Add(reader.Current.Type);
            }
        }
        catch (OperationCanceledException)
        {
        }

        return types;
    }
}
