using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SleepTime.Server.Tests.Contracts;

/// <summary>
/// Middleware first in the test server's pipeline that records (method, route template, status, content type, body)
/// of every /api, /health and /ready response, so <see cref="OpenApiContract"/> can check each against the document.
/// Streams (server-sent events) are recorded without their body; the facade under /v1 keeps OpenAI's contract instead.
/// </summary>
public sealed class ResponseRecorder : IStartupFilter
{
    private const int MaxBody = 1 << 20;

    public ConcurrentQueue<RecordedResponse> Responses { get; } = new();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(RecordAsync);
        next(app);
    };

    private static bool Covered(PathString path) =>
        path.StartsWithSegments("/api") || path == "/health" || path == "/ready";

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        if (!Covered(context.Request.Path))
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        await using var tee = new TeeStream(original, MaxBody);
        context.Response.Body = tee;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.RequestAborted.IsCancellationRequested || (context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint) is not RouteEndpoint endpoint)
        {
            return; // a client that went away sees nothing, and an unrouted path has no operation to check against
        }

        var contentType = context.Response.ContentType;
        var streamed = contentType?.StartsWith("text/event-stream", StringComparison.Ordinal) == true;
        Responses.Enqueue(new RecordedResponse(
            context.Request.Method,
            endpoint.RoutePattern.RawText ?? context.Request.Path.Value ?? "/",
            context.Request.Path.Value ?? "/",
            context.Response.StatusCode,
            contentType,
            streamed ? string.Empty : tee.Captured(),
            tee.Truncated));
    }
}
