using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace SleepTime.Server;

/// <summary>
/// Publishes events and fans them out to this node's Server-Sent Events subscribers. With an <see cref="EventLog"/>
/// (the server) every event is first written to the durable sequence, in publish order, by one background writer;
/// it reaches subscribers after its commit, in id order: on SQLite from the writer, on PostgreSQL from
/// <see cref="EventRelay"/> (every node's events, through LISTEN/NOTIFY). Without a log (tests, tools) ids come from a
/// counter and events are delivered at once. A slow subscriber's buffer drops its oldest events, and its stream
/// reads what it lost back from the log.
/// </summary>
public sealed class EventHub : IAsyncDisposable
{
    private const int BufferSize = 1024;
    private const int ReplayPage = 500;
    private static readonly JsonSerializerOptions DefaultJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly ConcurrentDictionary<Guid, Subscription> subscriptions = new();
    private readonly Lock dispatchLock = new();
    private readonly EventLog? log;
    private readonly EventOptions options;
    private readonly JsonSerializerOptions json;
    private readonly TimeProvider time;
    private readonly ILogger<EventHub>? logger;
    private readonly Channel<StoredEvent>? pending;
    private readonly Task? writer;
    private long lastDispatched;
    private long counter;
    private DateTimeOffset lastPrune = DateTimeOffset.MinValue;

    /// <summary>An in-memory hub: no log, no replay; events are delivered as they are published.</summary>
    public EventHub()
    {
        options = new EventOptions();
        json = DefaultJson;
        time = TimeProvider.System;
    }

    public EventHub(EventLog log, IOptions<EventOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider time, ILogger<EventHub> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(json);
        this.log = log;
        this.options = options.Value;
        this.json = json.Value.SerializerOptions;
        this.time = time;
        this.logger = logger;
        pending = Channel.CreateUnbounded<StoredEvent>(new UnboundedChannelOptions { SingleReader = true });
        writer = Task.Run(WriteAsync);
    }

    public int SubscriberCount => subscriptions.Count;

    public EventOptions Options => options;

    /// <summary>Queues the event for the log (its data serialized now, as it is at this moment) and its subscribers.</summary>
    public void Publish(ServerEvent serverEvent)
    {
        ArgumentNullException.ThrowIfNull(serverEvent);
        var data = JsonSerializer.Serialize(serverEvent.Data, serverEvent.Data.GetType(), json);
        var stored = new StoredEvent(0, serverEvent.Type, serverEvent.TenantId, serverEvent.MemoryId, serverEvent.Stream, data, serverEvent.At);
        if (pending is null)
        {
            Dispatch(stored with { Id = Interlocked.Increment(ref counter) });
        }
        else
        {
            pending.Writer.TryWrite(stored);
        }
    }

    /// <summary>
    /// Registers a subscriber at once, so every event delivered after this call reaches it (a stream announces
    /// itself ready only once it is subscribed); dispose it to unsubscribe.
    /// </summary>
    public Subscription Subscribe(string tenantId, string? memoryId, EventStream stream = EventStream.Contexts)
    {
        lock (dispatchLock)
        {
            var subscription = new Subscription(this, new EventFilter(tenantId, stream, memoryId), lastDispatched);
            subscriptions[subscription.Id] = subscription;
            return subscription;
        }
    }

    /// <summary>
    /// The subscriber's events: first those after <paramref name="lastEventId"/> read from the log (a resume), then
    /// live ones; each once, in id order. Without a resume point it starts with what is delivered after subscribing.
    /// </summary>
    public async IAsyncEnumerable<StoredEvent> FeedAsync(Subscription subscription, long? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var last = lastEventId ?? subscription.StartId;
        if (lastEventId is not null && log is not null)
        {
            await foreach (var e in ReplayAsync(subscription.Filter, last, cancellationToken).ConfigureAwait(false))
            {
                last = e.Id;
                yield return e;
            }
        }

        await foreach (var e in subscription.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (subscription.TakeLost() && log is not null)
            {
                // The buffer overflowed: what it dropped is in the log.
                await foreach (var missed in ReplayAsync(subscription.Filter, last, cancellationToken).ConfigureAwait(false))
                {
                    last = missed.Id;
                    yield return missed;
                }
            }

            if (e.Id > last)
            {
                last = e.Id;
                yield return e;
            }
        }
    }

    /// <summary>Whether <paramref name="lastEventId"/> can be an id this server sent: not after the newest event in the log.</summary>
    public async Task<bool> CanResumeAfterAsync(long lastEventId, CancellationToken cancellationToken)
    {
        var newest = log is null ? Interlocked.Read(ref counter) : await log.LastIdAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return lastEventId <= newest;
    }

    /// <summary>Delivers a committed event to this node's subscribers; events must come in id order.</summary>
    internal void Dispatch(StoredEvent stored)
    {
        lock (dispatchLock)
        {
            lastDispatched = Math.Max(lastDispatched, stored.Id);
            foreach (var subscription in subscriptions.Values)
            {
                if (subscription.Filter.Matches(stored))
                {
                    subscription.Channel.Writer.TryWrite(stored);
                }
            }
        }
    }

    /// <summary>Everything up to <paramref name="id"/> was delivered (or happened before this node started).</summary>
    internal void AdvanceTo(long id)
    {
        lock (dispatchLock)
        {
            lastDispatched = Math.Max(lastDispatched, id);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (pending is null || writer is null)
        {
            return;
        }

        pending.Writer.TryComplete();
        await writer.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async IAsyncEnumerable<StoredEvent> ReplayAsync(EventFilter filter, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await log!.ReadAsync(filter, after, ReplayPage, cancellationToken).ConfigureAwait(false);
            foreach (var e in page)
            {
                after = e.Id;
                yield return e;
            }

            if (page.Count < ReplayPage)
            {
                yield break;
            }
        }
    }

    private async Task WriteAsync()
    {
        var batch = new List<StoredEvent>();
        while (await pending!.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < 256 && pending.Reader.TryRead(out var e))
            {
                batch.Add(e);
            }

            var stored = await AppendWithRetryAsync(batch).ConfigureAwait(false);
            if (!log!.IsShared)
            {
                foreach (var e in stored)
                {
                    Dispatch(e);
                }
            }

            await PruneIfDueAsync().ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<StoredEvent>> AppendWithRetryAsync(List<StoredEvent> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await log!.AppendAsync(batch).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < 5)
            {
                logger?.LogWarning(ex, "Writing {Count} event(s) failed (attempt {Attempt}); retrying.", batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt)).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Events announce what the runs table already holds; a database that refuses them for this long loses them.
                logger?.LogError(ex, "Dropped {Count} event(s): the event log could not be written.", batch.Count);
                return [];
            }
        }
    }

    private async Task PruneIfDueAsync()
    {
        var now = time.GetUtcNow();
        if (now - lastPrune < TimeSpan.FromMinutes(1))
        {
            return;
        }

        lastPrune = now;
        try
        {
            await log!.PruneAsync(options.RetentionCount, now - TimeSpan.FromHours(options.RetentionHours)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger?.LogWarning(ex, "Pruning the event log failed; it is tried again in a minute.");
        }
    }

    public sealed class Subscription : IDisposable
    {
        private readonly EventHub hub;
        private int lost;

        internal Subscription(EventHub hub, EventFilter filter, long startId)
        {
            this.hub = hub;
            Filter = filter;
            StartId = startId;
            Channel = System.Threading.Channels.Channel.CreateBounded<StoredEvent>(
                new BoundedChannelOptions(BufferSize) { FullMode = BoundedChannelFullMode.DropOldest },
                _ => Interlocked.Exchange(ref lost, 1));
        }

        internal Guid Id { get; } = Guid.NewGuid();

        internal EventFilter Filter { get; }

        /// <summary>The last event id delivered on this node when it subscribed.</summary>
        internal long StartId { get; }

        internal Channel<StoredEvent> Channel { get; }

        public IAsyncEnumerable<StoredEvent> ReadAllAsync(CancellationToken cancellationToken) => Channel.Reader.ReadAllAsync(cancellationToken);

        internal bool TakeLost() => Interlocked.Exchange(ref lost, 0) == 1;

        public void Dispose() => hub.subscriptions.TryRemove(Id, out _);
    }
}
