using Microsoft.AspNetCore.Mvc;

namespace SleepTime.Server;

/// <summary>
/// Writes every problem on <c>/v1</c> as OpenAI's error object instead of RFC 9457 problem details, whoever raised
/// it: the API key check (401), the rate limiter (429), the size limit (413), routing (404, 405), the exception
/// handler (400, 502, 503) and the facade itself. The problem's <c>field</c> becomes the error's <c>param</c>.
/// </summary>
public sealed class OpenAiErrorWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => IsFacade(context.HttpContext.Request.Path);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var status = problem.Status ?? (http.Response.StatusCode >= 400 ? http.Response.StatusCode : StatusCodes.Status500InternalServerError);
        var message = Message(http, problem, status);
        var param = problem.Extensions.TryGetValue("field", out var field) ? field?.ToString() : null;
        http.Response.StatusCode = status;
        return new ValueTask(OpenAiError.ForStatus(status, message, param).WriteAsync(http));
    }

    public static bool IsFacade(PathString path) => path.StartsWithSegments("/v1");

    private static string Message(HttpContext http, ProblemDetails problem, int status)
    {
        if (!string.IsNullOrWhiteSpace(problem.Detail))
        {
            return problem.Detail;
        }

        // Status code pages (no endpoint, wrong method) carry no detail: say what OpenAI says.
        return status switch
        {
            StatusCodes.Status404NotFound => $"Invalid URL ({http.Request.Method} {http.Request.Path}).",
            StatusCodes.Status405MethodNotAllowed => $"Method {http.Request.Method} is not allowed on {http.Request.Path}.",
            _ => problem.Title ?? $"HTTP {status}.",
        };
    }
}
