using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using SleepTime.Providers;

namespace SleepTime.Server;

/// <summary>
/// Maps exceptions to problem details so bad input is never a 500: validation 400, unknown context 404,
/// not found 404, conflicting state 409, framework request errors keep their status (413, 415, 400) and malformed JSON is
/// a 400, both saying which field and why (<see cref="RequestReadProblem"/>);
/// a model provider that fails is the upstream's fault: 503 with Retry-After when it may pass, else 502.
/// </summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, field) = exception switch
        {
            SleepTimeValidationException v => (400, "Invalid request", v.Message, v.Field),
            SleepTimeNotFoundException n => (404, "Not found", n.Message, null),
            SleepTimeConflictException c => (409, "Conflict", c.Message, null),
            BadHttpRequestException b => Parts(RequestReadProblem.From(b)),
            JsonException j => Parts(RequestReadProblem.From(j)),
            FormatException f => (400, "Bad request", f.Message, null),
            ModelProviderException { IsTransient: true } m => (503, "Model unavailable", m.Message, null),
            ModelProviderException m => (502, "Model error", m.Message, null),
            SleepTimeException other => (400, "Request failed", other.Message, null),
            ObjectDisposedException when !IsRunning(httpContext) => (503, "Shutting down", "The server is shutting down; retry on another node or later.", null),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The client went away.", (string?)null),
            _ => (500, "Server error", "An unexpected error occurred.", null),
        };
        if (exception is ModelProviderException { RetryAfter: { } retryAfter })
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (exception is ModelProviderException)
        {
            logger.LogWarning("Model provider failed on {Method} {Path}: {Message}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        }
        else if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        await Problems.WriteAsync(httpContext, status, title, detail, field).ConfigureAwait(false);
        return true;
    }

    private static (int Status, string Title, string Detail, string? Field) Parts(RequestReadProblem problem) =>
        (problem.Status, problem.Title, problem.Detail, problem.Field);

    private static bool IsRunning(HttpContext httpContext) =>
        !httpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested;
}
