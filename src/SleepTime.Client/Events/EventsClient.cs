using System.Globalization;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using SleepTime.Client.Http;

namespace SleepTime.Client.Events;

/// <summary>
/// The server's Server-Sent Events as <see cref="IAsyncEnumerable{T}"/>: the tenant's context events, one context's, or
/// one agent's. A connection that drops or ends is opened again with <c>Last-Event-ID</c>, so the sequence neither
/// misses nor repeats an event; it ends only when the caller cancels (or gives up after
/// <see cref="EventStreamOptions.MaxReconnects"/> failures in a row).
/// </summary>
public sealed class EventsClient
{
    private readonly ApiConnection api;

    internal EventsClient(ApiConnection api) => this.api = api;

    /// <summary>Every context event of the tenant, after <paramref name="lastEventId"/> when given.</summary>
    public IAsyncEnumerable<SleepTimeEvent> TenantAsync(long? lastEventId = null, EventStreamOptions? options = null, CancellationToken cancellationToken = default) =>
        FollowAsync("api/events", lastEventId, options, cancellationToken);

    public IAsyncEnumerable<SleepTimeEvent> ContextAsync(string contextId, long? lastEventId = null, EventStreamOptions? options = null, CancellationToken cancellationToken = default) =>
        FollowAsync($"api/contexts/{PathOf.Id(contextId)}/events", lastEventId, options, cancellationToken);

    /// <summary>An agent's events: its sleep-time agents' runs, change sets, block updates.</summary>
    public IAsyncEnumerable<SleepTimeEvent> AgentAsync(string agentId, long? lastEventId = null, EventStreamOptions? options = null, CancellationToken cancellationToken = default) =>
        FollowAsync($"api/agents/{PathOf.Id(agentId)}/events", lastEventId, options, cancellationToken);

    private async IAsyncEnumerable<SleepTimeEvent> FollowAsync(string path, long? lastEventId, EventStreamOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        options ??= new EventStreamOptions();
        var failures = 0;
        var connected = false;
        while (true)
        {
            Exception? broke = null;
            await using (var events = ReadOnceAsync(path, lastEventId, options, cancellationToken).GetAsyncEnumerator(cancellationToken))
            {
                while (true)
                {
                    SleepTimeEvent item;
                    try
                    {
                        if (!await events.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }

                        item = events.Current;
                    }
                    catch (Exception ex) when (connected && !cancellationToken.IsCancellationRequested && ex is HttpRequestException or IOException)
                    {
                        broke = ex;
                        break;
                    }

                    connected = true;
                    if (item.Type == "ready")
                    {
                        // Where the server started this stream: a drop before the first event resumes from here.
                        lastEventId = item.Id ?? lastEventId;
                        continue;
                    }

                    failures = 0;
                    lastEventId = item.Id ?? lastEventId;
                    yield return item;
                }
            }

            if (++failures > options.MaxReconnects)
            {
                throw broke ?? new EventStreamEndedException($"The server keeps ending the event stream at {path}; gave up after {options.MaxReconnects} reconnections.");
            }

            options.Reconnecting?.Invoke(broke, lastEventId);
            await Task.Delay(options.ReconnectDelay * Math.Min(5, failures), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One connection: its events as they arrive, <c>ready</c> included, until the server ends it.</summary>
    private async IAsyncEnumerable<SleepTimeEvent> ReadOnceAsync(string path, long? lastEventId, EventStreamOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } after)
        {
            request.Headers.Add("Last-Event-ID", after.ToString(CultureInfo.InvariantCulture));
        }

        using var response = await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ApiConnection.ProblemAsync(response, cancellationToken).ConfigureAwait(false);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.EventType == "ready")
            {
                options.Connected?.Invoke();
            }

            yield return new SleepTimeEvent(item.EventType, ParseId(item.EventId), Parse(item.Data));
        }
    }

    private static long? ParseId(string? id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static JsonElement Parse(string data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(data, Server.SleepTimeJsonContext.Default.String);
        }
    }
}
