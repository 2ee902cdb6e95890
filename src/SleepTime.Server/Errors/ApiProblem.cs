using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace SleepTime.Server;

/// <summary>
/// RFC 9457 problem details as typed results, for handlers that declare what they return
/// (<c>Results&lt;Ok&lt;T&gt;, ProblemHttpResult&gt;</c>). Each problem has a title, a detail that says why, and, when
/// one request field was wrong, that field as the <c>field</c> extension.
/// </summary>
public static class ApiProblem
{
    public static ProblemHttpResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult BadRequest(string detail, string? field = null) => Of(StatusCodes.Status400BadRequest, "Invalid request", detail, field);

    public static ProblemHttpResult TooLarge(string detail) => Of(StatusCodes.Status413PayloadTooLarge, "Too large", detail);

    public static ProblemHttpResult Unavailable(string detail) => Of(StatusCodes.Status503ServiceUnavailable, "Model unavailable", detail);

    public static ProblemHttpResult Forbidden(string detail) => Of(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static ProblemHttpResult Of(int status, string title, string detail, string? field = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = $"https://httpstatuses.io/{status}" };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        return TypedResults.Problem(problem);
    }
}
