using Microsoft.AspNetCore.Http.HttpResults;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>Questions to a context, answered on a small budget from its learned context (or a baseline arm).</summary>
public static class QueriesEndpoints
{
    public static RouteGroupBuilder MapQueries(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/contexts/{id}/queries").WithTags("Queries");
        group.MapPost("/", AskAsync).WithName("Ask");
        group.MapGet("/", ListAsync).WithName("ListQueries");
        group.MapGet("/{queryId}", GetAsync).WithName("GetQuery");
        return group;
    }

    private static async Task<Results<Ok<AnswerView>, ProblemHttpResult>> AskAsync(string id, AskRequest request, HttpContext http, TenantStores stores, QueryService service, CancellationToken ct)
    {
        var ask = QueryService.ParseOptions(request.Arm, request.Budget, request.IncludeRawContext);
        if (ask.Arm != AnswerArm.ContextOnly && string.IsNullOrWhiteSpace(request.Question))
        {
            return ApiProblem.BadRequest("The question must not be empty.", "question");
        }

        var store = stores.Contexts(http);
        if (await store.GetSummaryAsync(id, ct) is null)
        {
            return ApiProblem.NotFound($"Context '{id}' was not found.");
        }

        var waited = request.WaitForRun == true && await service.WaitForRunsAsync(store.TenantId, id, request.WaitTimeoutSeconds, ct);
        var context = await store.GetAsync(id, ct);
        if (context is null)
        {
            return ApiProblem.NotFound($"Context '{id}' was not found.");
        }

        var (record, unavailable) = await service.AnswerAsync(store.TenantId, store, context, request.Question, ask, ct);
        return record is null ? ApiProblem.Unavailable(unavailable!) : TypedResults.Ok(View(record, waited));
    }

    private static async Task<Results<Ok<List<AnswerView>>, ProblemHttpResult>> ListAsync(string id, int? limit, HttpContext http, TenantStores stores, QueryStore queries, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
        {
            return ApiProblem.BadRequest("limit must be between 1 and 1000.", "limit");
        }

        if (await stores.Contexts(http).GetSummaryAsync(id, ct) is null)
        {
            return ApiProblem.NotFound($"Context '{id}' was not found.");
        }

        var list = await queries.ListAsync(http.Caller().TenantId, id, limit ?? 50, ct);
        return TypedResults.Ok(list.Select(q => View(q, false)).ToList());
    }

    private static async Task<Results<Ok<AnswerView>, ProblemHttpResult>> GetAsync(string id, string queryId, HttpContext http, QueryStore queries, CancellationToken ct)
    {
        var record = await queries.GetAsync(http.Caller().TenantId, queryId, ct);
        return record is null || record.ContextId != id ? ApiProblem.NotFound($"Query '{queryId}' was not found.") : TypedResults.Ok(View(record, false));
    }

    internal static AnswerView View(QueryRecord q, bool waited) => new(
        q.Id, q.ContextId, q.Question, q.Answer, q.FinalAnswer, ToSnake(q.Arm), q.Verbosity, q.ContextVersion, q.LearnedVersion, q.Model,
        UsageView.From(q.Usage), q.LatencyMilliseconds, waited, q.CreatedAt);

    private static string ToSnake(string arm) => arm switch
    {
        nameof(AnswerArm.SleepTime) => "sleep_time",
        nameof(AnswerArm.ContextOnly) => "context_only",
        _ => arm.ToLowerInvariant(),
    };
}
