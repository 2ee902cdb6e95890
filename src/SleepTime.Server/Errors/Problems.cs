namespace SleepTime.Server;

/// <summary>
/// RFC 9457 problem details for every error the API returns, as untyped results for handlers that still return
/// <see cref="IResult"/> (events, usage) and for middleware that writes a problem itself; typed handlers use
/// <see cref="ApiProblem"/>, which these delegate to.
/// </summary>
public static class Problems
{
    public static IResult NotFound(string detail) => ApiProblem.NotFound(detail);

    public static IResult BadRequest(string detail, string? field = null) => ApiProblem.BadRequest(detail, field);

    public static IResult TooLarge(string detail) => ApiProblem.TooLarge(detail);

    public static IResult Unavailable(string detail) => ApiProblem.Unavailable(detail);

    public static IResult Forbidden(string detail) => ApiProblem.Forbidden(detail);

    public static IResult Result(int status, string title, string detail, string? field = null) => ApiProblem.Of(status, title, detail, field);

    public static async Task WriteAsync(HttpContext context, int status, string title, string detail, string? field = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        await ApiProblem.Of(status, title, detail, field).ExecuteAsync(context).ConfigureAwait(false);
    }
}
