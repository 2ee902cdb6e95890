using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SleepTime.Server;

/// <summary>
/// Delivers the log's events to this node's subscribers. On SQLite (one node) the hub's writer delivers them; this
/// only records where the log stood at start-up. On PostgreSQL every node's events are delivered here: the node
/// LISTENs on <see cref="EventLog.NotifyChannel"/> with a connection of its own, and on each notification (or every
/// <see cref="EventOptions.PollSeconds"/>, in case one was lost, or after a reconnect) reads the log after the last id
/// it delivered. Ids are committed in order, so that read misses nothing and repeats nothing.
/// </summary>
/// <remarks>
/// LISTEN/NOTIFY rather than polling alone: a notification wakes every node at the commit, so an event reaches other
/// nodes' subscribers in milliseconds without every node querying the table many times a second; the read after it
/// (not the notification's payload, limited to 8,000 bytes) carries the events, which is why a lost notification costs
/// only latency.
/// </remarks>
public sealed class EventRelay(EventHub hub, EventLog log, IOptions<EventOptions> options, ILogger<EventRelay> logger) : BackgroundService
{
    private long delivered;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        delivered = await log.LastIdAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        hub.AdvanceTo(delivered);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!log.IsShared)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "The event listener lost its connection; reconnecting.");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(log.Database.ConnectionString);
        await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
        await using (var listen = new NpgsqlCommand($"LISTEN {EventLog.NotifyChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
        }

        // A notification that arrives while the log is being read may be for a commit that read did not see.
        var notified = new StrongBox<int>();
        connection.Notification += (_, _) => Volatile.Write(ref notified.Value, 1);
        while (true)
        {
            // Read first: whatever was committed while not listening (start, reconnect) is delivered too.
            Volatile.Write(ref notified.Value, 0);
            await DeliverAsync(connection, stoppingToken).ConfigureAwait(false);
            if (Volatile.Read(ref notified.Value) == 0)
            {
                await connection.WaitAsync(options.Value.Poll, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DeliverAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        while (true)
        {
            var page = await log.ReadAllAsync(delivered, 500, connection, stoppingToken).ConfigureAwait(false);
            foreach (var e in page)
            {
                hub.Dispatch(e);
                delivered = e.Id;
            }

            if (page.Count < 500)
            {
                return;
            }
        }
    }
}
