namespace SleepTime.Server;

/// <summary>
/// The problem statuses every /api endpoint may answer, declared once so the OpenAPI document gives each of them the
/// RFC 9457 problem-details schema: a bad request or body (400), no or a revoked key (401), an admin-only action
/// (403), an unknown resource (404), a conflicting state (409), a body over the limit (413), a body that is not JSON
/// (415), the rate limit (429), an unexpected failure (500), the model failing (502) or unavailable / shutting down (503).
/// </summary>
public static class ProblemResponses
{
    public static readonly IReadOnlyList<int> Statuses = [400, 401, 403, 404, 409, 413, 415, 429, 500, 502, 503];

    public static TBuilder WithProblemResponses<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in Statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
