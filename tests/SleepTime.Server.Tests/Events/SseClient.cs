using System.Text.Json;

namespace SleepTime.Server.Tests.Events;

/// <summary>One Server-Sent Event as a client sees it; <see cref="Id"/> is null for the <c>ready</c> event.</summary>
internal sealed record SseEvent(long? Id, string Type, JsonElement Data);

/// <summary>A minimal SSE reader over a real HTTP response: events, and heartbeat comments counted.</summary>
internal sealed class SseClient : IDisposable
{
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private SseClient(HttpResponseMessage response, StreamReader reader)
    {
        this.response = response;
        this.reader = reader;
    }

    public int Heartbeats { get; private set; }

    public static async Task<SseClient> OpenAsync(HttpClient client, string url, long? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var sse = new SseClient(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        var ready = await sse.NextAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("ready", ready.Type);
        Assert.True(ready.Id is not null, "ready names the position the stream starts after");
        Assert.Equal(lastEventId ?? ready.Id, ready.Id);
        return sse;
    }

    /// <summary>The next event (heartbeats are counted, not returned).</summary>
    public async Task<SseEvent> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        long? id = null;
        string? type = null;
        string? data = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("The event stream ended.");
            if (line.Length == 0)
            {
                if (type is not null)
                {
                    return new SseEvent(id, type, JsonDocument.Parse(data ?? "null").RootElement.Clone());
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                Heartbeats++;
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }
    }

    /// <summary>Reads until <paramref name="done"/> holds for the events read so far; returns them.</summary>
    public async Task<List<SseEvent>> ReadUntilAsync(Func<IReadOnlyList<SseEvent>, bool> done, TimeSpan timeout)
    {
        var events = new List<SseEvent>();
        var deadline = DateTime.UtcNow + timeout;
        while (!done(events))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Saw only: {string.Join(", ", events.Select(e => $"{e.Id} {e.Type}"))}");
            }

            events.Add(await NextAsync(left));
        }

        return events;
    }

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
    }
}
