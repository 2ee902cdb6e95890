namespace SleepTime.Server;

/// <summary>Writes server-sent events, each flushed at once so it reaches the client as soon as it exists.</summary>
internal sealed class ServerSentEvents(HttpResponse response)
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";

        // Reverse proxies (nginx) buffer responses unless told not to.
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteAsync(string? eventName, string data, CancellationToken cancellationToken)
    {
        var text = eventName is null ? $"data: {data}\n\n" : $"event: {eventName}\ndata: {data}\n\n";
        await response.WriteAsync(text, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
