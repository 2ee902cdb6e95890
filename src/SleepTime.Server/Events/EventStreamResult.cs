using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace SleepTime.Server;

/// <summary>
/// Writes a Server-Sent Events stream: <c>event: ready</c> first (its <c>id:</c> the position the stream starts after),
/// then each event as <c>id:</c> (its log id),
/// <c>event:</c> (its type) and one <c>data:</c> line (<c>{id, type, &lt;memory field&gt;, at, data}</c>), and a
/// <c>: heartbeat</c> comment whenever nothing was sent for <see cref="EventOptions.HeartbeatSeconds"/>, so proxies
/// keep the connection and clients notice a dead one.
/// </summary>
public sealed class EventStreamResult(EventHub hub, EventHub.Subscription subscription, long? lastEventId, string memoryField, object ready) : IResult, IEndpointMetadataProvider
{
    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        using var owned = subscription;
        var response = httpContext.Response;
        var ct = httpContext.RequestAborted;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var json = httpContext.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()?.Value.SerializerOptions
            ?? JsonSerializerOptions.Web;
        // ready carries the position the stream starts from, so a client dropped before its first event resumes from
        // there (Last-Event-ID) instead of going live again and missing what happened in between.
        var position = lastEventId ?? subscription.StartId;
        await WriteAsync(response, $"event: ready\nid: {position.ToString(CultureInfo.InvariantCulture)}\ndata: {JsonSerializer.Serialize(ready, ready.GetType(), json)}\n\n", ct).ConfigureAwait(false);

        await using var events = hub.FeedAsync(subscription, lastEventId, ct).GetAsyncEnumerator(ct);
        var heartbeat = hub.Options.Heartbeat;
        Task<bool>? next = null;
        try
        {
            next = events.MoveNextAsync().AsTask();
            while (true)
            {
                if (await Task.WhenAny(next, Task.Delay(heartbeat, ct)).ConfigureAwait(false) != next)
                {
                    ct.ThrowIfCancellationRequested();
                    await response.Body.WriteAsync(Heartbeat, ct).ConfigureAwait(false);
                    await response.Body.FlushAsync(ct).ConfigureAwait(false);
                    continue;
                }

                if (!await next.ConfigureAwait(false))
                {
                    return;
                }

                await WriteAsync(response, Format(events.Current), ct).ConfigureAwait(false);
                next = events.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            // The feed may still be reading; it ends with the request, and must have ended before it is disposed.
            if (next is not null)
            {
                await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["text/event-stream"]));
    }

    private string Format(StoredEvent e)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", e.Id);
            writer.WriteString("type", e.Type);
            writer.WriteString(memoryField, e.MemoryId);
            writer.WriteString("at", e.At);
            writer.WritePropertyName("data");
            writer.WriteRawValue(e.DataJson, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return $"id: {e.Id.ToString(CultureInfo.InvariantCulture)}\nevent: {e.Type}\ndata: {Encoding.UTF8.GetString(buffer.WrittenSpan)}\n\n";
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct).ConfigureAwait(false);
        await response.Body.FlushAsync(ct).ConfigureAwait(false);
    }
}
