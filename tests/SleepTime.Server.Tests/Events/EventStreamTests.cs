using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace SleepTime.Server.Tests.Events;

/// <summary>
/// The SSE streams of one in-process server (SQLite): every event has an id from the durable log, a client that
/// reconnects with <c>Last-Event-ID</c> gets what it missed and then live events, each once, on every stream; idle
/// streams send heartbeat comments; run events carry the run as committed.
/// </summary>
public sealed class EventStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ServerFactory factory = new(settings: new() { ["SleepTime:Events:HeartbeatSeconds"] = "0.2" });
    private HttpClient client = null!;
    private string agentId = null!;

    public async Task InitializeAsync()
    {
        client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "ctx", text = "x = 3", schedule = new { on_change = false } });
        await client.PostOkAsync("/api/contexts", new { id = "other", text = "y = 4", schedule = new { on_change = false } });
        agentId = (await client.PostOkAsync("/api/agents", new { name = "a" })).GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    public static TheoryData<string> Streams => ["/api/events", "/api/contexts/ctx/events", "/api/agents/{agent}/events"];

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task A_reconnect_with_Last_Event_ID_gets_every_missed_event_then_live_ones_with_no_gap_and_no_duplicate(string stream)
    {
        var url = stream.Replace("{agent}", agentId, StringComparison.Ordinal);
        var (memory, family) = url.Contains("/agents/", StringComparison.Ordinal) ? (agentId, EventStream.Agents) : ("ctx", EventStream.Contexts);
        var hub = factory.Services.GetRequiredService<EventHub>();
        void Publish(int n)
        {
            hub.Publish(new ServerEvent("test.event", "default", memory, new { n }, DateTimeOffset.UtcNow, family));
            // Noise that no subscriber of this stream may see: the other family with the same id, another memory.
            hub.Publish(new ServerEvent("test.noise", "default", memory, new { n }, DateTimeOffset.UtcNow, family == EventStream.Agents ? EventStream.Contexts : EventStream.Agents));
            hub.Publish(new ServerEvent("test.noise", "default", "other-memory", new { n }, DateTimeOffset.UtcNow, family == EventStream.Agents ? EventStream.Agents : EventStream.Contexts));
        }

        List<SseEvent> first;
        using (var sse = await SseClient.OpenAsync(client, url))
        {
            for (var n = 1; n <= 3; n++)
            {
                Publish(n);
            }

            first = await sse.ReadUntilAsync(e => e.Count(x => x.Type == "test.event") == 3, Timeout);
        }

        // Missed while disconnected.
        for (var n = 4; n <= 6; n++)
        {
            Publish(n);
        }

        var last = first.Last(e => e.Type == "test.event").Id!.Value;
        using var resumed = await SseClient.OpenAsync(client, url, last);
        // Published while the stream replays, and after: the replay and the live feed meet without a gap or a repeat.
        for (var n = 7; n <= 9; n++)
        {
            Publish(n);
        }

        var second = await resumed.ReadUntilAsync(e => e.Any(x => x.Type == "test.event" && x.Data.GetProperty("data").GetProperty("n").GetInt32() == 9), Timeout);

        var numbers = second.Where(e => e.Type == "test.event").Select(e => e.Data.GetProperty("data").GetProperty("n").GetInt32()).ToList();
        Assert.Equal([4, 5, 6, 7, 8, 9], numbers);
        var ids = first.Concat(second).Where(e => e.Type == "test.event").Select(e => e.Id!.Value).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(first.Concat(second), e => Assert.Equal(e.Id, e.Data.GetProperty("id").GetInt64()));
        if (!url.EndsWith("/api/events", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(first.Concat(second), e => e.Type == "test.noise");
        }
        else
        {
            // The tenant stream has every context, but never the agents family.
            Assert.DoesNotContain(first.Concat(second), e => e.Type == "test.noise" && e.Data.GetProperty("context_id").GetString() == memory);
        }
    }

    [Fact]
    public async Task An_idle_stream_sends_heartbeat_comments_at_the_configured_interval()
    {
        using var sse = await SseClient.OpenAsync(client, "/api/contexts/ctx/events");
        var hub = factory.Services.GetRequiredService<EventHub>();

        // Nothing is published for a second: the stream still sends (0.2 s heartbeats), then the event itself.
        await Task.Delay(TimeSpan.FromSeconds(1));
        hub.Publish(new ServerEvent("test.event", "default", "ctx", new { n = 1 }, DateTimeOffset.UtcNow));
        var e = await sse.NextAsync(Timeout);

        Assert.Equal("test.event", e.Type);
        Assert.InRange(sse.Heartbeats, 2, 10);
    }

    [Theory]
    [InlineData("/api/events", "abc")]
    [InlineData("/api/contexts/ctx/events", "-1")]
    [InlineData("/api/agents/{agent}/events", "1.5")]
    [InlineData("/api/contexts/ctx/events", "999999999")]
    public async Task An_invalid_Last_Event_ID_is_a_400_problem(string stream, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, stream.Replace("{agent}", agentId, StringComparison.Ordinal));
        request.Headers.TryAddWithoutValidation("Last-Event-ID", value);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Last-Event-ID", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_events_carry_the_run_as_committed_and_a_resume_from_the_first_replays_the_rest()
    {
        using var sse = await SseClient.OpenAsync(client, "/api/contexts/ctx/events");
        await client.PostOkAsync("/api/contexts/ctx/runs", new { });
        var events = await sse.ReadUntilAsync(e => e.Any(x => x.Type == "memory.updated"), Timeout);

        Assert.Equal(["run.queued", "run.started", "run.succeeded", "memory.updated"], events.Select(e => e.Type));
        var succeeded = events.Single(e => e.Type == "run.succeeded").Data.GetProperty("data");
        Assert.Equal("succeeded", succeeded.GetProperty("status").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, succeeded.GetProperty("finished_at").ValueKind);
        Assert.True(succeeded.GetProperty("usage").GetProperty("total_tokens").GetInt64() > 0);
        Assert.Equal(1, succeeded.GetProperty("learned_version").GetInt64());

        using var resumed = await SseClient.OpenAsync(client, "/api/contexts/ctx/events", events[0].Id);
        var replayed = await resumed.ReadUntilAsync(e => e.Count == 3, Timeout);
        Assert.Equal(events.Skip(1).Select(e => (e.Id, e.Type)), replayed.Select(e => (e.Id, e.Type)));
    }

    [Fact]
    public async Task A_subscriber_that_falls_behind_its_buffer_reads_what_it_lost_back_from_the_log()
    {
        const int count = 2500; // more than the 1,024 a subscriber buffers
        var hub = factory.Services.GetRequiredService<EventHub>();
        using var subscription = hub.Subscribe("default", "slow");
        for (var n = 1; n <= count; n++)
        {
            hub.Publish(new ServerEvent("test.event", "default", "slow", new { n }, DateTimeOffset.UtcNow));
        }

        // Not reading: the buffer fills and drops its oldest events.
        var log = factory.Services.GetRequiredService<EventLog>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await log.ReadAsync(new EventFilter("default", EventStream.Contexts, "slow"), 0, count + 1)).Count < count || subscription.Channel.Reader.Count < 1024)
        {
            Assert.True(waited.Elapsed < Timeout, "The events were not delivered.");
            await Task.Delay(20);
        }

        Assert.Equal(1024, subscription.Channel.Reader.Count);
        using var cts = new CancellationTokenSource(Timeout);
        var seen = new List<(long Id, int N)>();
        await foreach (var e in hub.FeedAsync(subscription, null, cts.Token))
        {
            seen.Add((e.Id, System.Text.Json.JsonDocument.Parse(e.DataJson).RootElement.GetProperty("n").GetInt32()));
            if (seen[^1].N == count)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(1, count), seen.Select(s => s.N));
        Assert.Equal(seen.Select(s => s.Id).Order(), seen.Select(s => s.Id));
    }

    [Fact]
    public async Task The_log_keeps_only_the_newest_events_it_is_configured_to_keep()
    {
        var log = factory.Services.GetRequiredService<EventLog>();
        var filter = new EventFilter("default", EventStream.Contexts, "retained");
        var appended = await log.AppendAsync([.. Enumerable.Range(1, 10).Select(n => new StoredEvent(0, "test.event", "default", "retained", EventStream.Contexts, $"{{\"n\":{n}}}", DateTimeOffset.UtcNow))]);

        await log.PruneAsync(keep: 3, before: DateTimeOffset.UtcNow.AddHours(-1));

        Assert.Equal(appended.TakeLast(3).Select(e => e.Id), (await log.ReadAsync(filter, 0, 100)).Select(e => e.Id));
        await log.PruneAsync(keep: 100, before: DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Empty(await log.ReadAsync(filter, 0, 100));
    }
}
