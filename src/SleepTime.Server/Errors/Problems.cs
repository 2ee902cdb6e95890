using Microsoft.AspNetCore.Mvc;

namespace SleepTime.Server;

/// <summary>RFC 9457 problem details for every error the API returns.</summary>
public static class Problems
{
    public static IResult NotFound(string detail) => Result(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult BadRequest(string detail, string? field = null) => Result(StatusCodes.Status400BadRequest, "Invalid request", detail, field);

    public static IResult TooLarge(string detail) => Result(StatusCodes.Status413PayloadTooLarge, "Too large", detail);

    public static IResult Unavailable(string detail) => Result(StatusCodes.Status503ServiceUnavailable, "Model unavailable", detail);

    public static IResult Forbidden(string detail) => Result(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static IResult Result(int status, string title, string detail, string? field = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = $"https://httpstatuses.io/{status}" };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        return TypedResults.Problem(problem);
    }

    public static async Task WriteAsync(HttpContext context, int status, string title, string detail, string? field = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        await Result(status, title, detail, field).ExecuteAsync(context).ConfigureAwait(false);
    }
}
