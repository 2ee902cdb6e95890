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
            if (subscription.TenantId == serverEvent.TenantId && (subscription.ContextId is null || subscription.ContextId == serverEvent.ContextId))
            {
                subscription.Channel.Writer.TryWrite(serverEvent);
            }
        }
    }

    public async IAsyncEnumerable<ServerEvent> SubscribeAsync(string tenantId, string? contextId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var channel = Channel.CreateBounded<ServerEvent>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
        subscriptions[id] = new Subscription(tenantId, contextId, channel);
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            subscriptions.TryRemove(id, out _);
        }
    }

    public int SubscriberCount => subscriptions.Count;

    private sealed record Subscription(string TenantId, string? ContextId, Channel<ServerEvent> Channel);
}
