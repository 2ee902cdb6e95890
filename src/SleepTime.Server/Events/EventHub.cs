using System.Collections.Concurrent;
using System.Threading.Channels;

namespace SleepTime.Server;

/// <summary>
/// Fans events out to the Server-Sent Events subscribers of this node. A slow subscriber loses its oldest
/// events rather than slowing the scheduler down.
/// </summary>
public sealed class EventHub
{
    private readonly ConcurrentDictionary<Guid, Subscription> subscriptions = new();

    public void Publish(ServerEvent serverEvent)
    {
        foreach (var subscription in subscriptions.Values)
        {
            if (subscription.Stream == serverEvent.Stream && subscription.TenantId == serverEvent.TenantId && (subscription.ContextId is null || subscription.ContextId == serverEvent.MemoryId))
            {
                subscription.Channel.Writer.TryWrite(serverEvent);
            }
        }
    }

    /// <summary>
    /// Registers a subscriber at once, so every event published after this call reaches it (a stream announces
    /// itself ready only once it is subscribed); dispose it to unsubscribe.
    /// </summary>
    public Subscription Subscribe(string tenantId, string? contextId, EventStream stream = EventStream.Contexts)
    {
        var subscription = new Subscription(this, stream, tenantId, contextId, Channel.CreateBounded<ServerEvent>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest }));
        subscriptions[subscription.Id] = subscription;
        return subscription;
    }

    public int SubscriberCount => subscriptions.Count;

    public sealed class Subscription(EventHub hub, EventStream stream, string tenantId, string? contextId, Channel<ServerEvent> channel) : IDisposable
    {
        internal EventStream Stream => stream;

        internal Guid Id { get; } = Guid.NewGuid();

        internal string TenantId => tenantId;

        internal string? ContextId => contextId;

        internal Channel<ServerEvent> Channel => channel;

        public IAsyncEnumerable<ServerEvent> ReadAllAsync(CancellationToken cancellationToken) => channel.Reader.ReadAllAsync(cancellationToken);

        public void Dispose() => hub.subscriptions.TryRemove(Id, out _);
    }
}
