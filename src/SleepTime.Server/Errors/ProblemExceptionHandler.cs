using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace SleepTime.Server;

/// <summary>
/// Maps exceptions to problem details so bad input is never a 500: validation 400, unknown context 404,
/// framework request errors keep their status (413, 400), malformed JSON 400.
/// </summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, field) = exception switch
        {
            SleepTimeValidationException v => (400, "Invalid request", v.Message, v.Field),
            ContextNotFoundException n => (404, "Not found", n.Message, null),
            BadHttpRequestException b => (b.StatusCode, b.StatusCode == 413 ? "Too large" : "Bad request", b.Message, null),
            JsonException j => (400, "Malformed JSON", j.Message, null),
            FormatException f => (400, "Bad request", f.Message, null),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The client went away.", (string?)null),
            _ => (500, "Server error", "An unexpected error occurred.", null),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        await Problems.WriteAsync(httpContext, status, title, detail, field).ConfigureAwait(false);
        return true;
    }
}
