using Microsoft.AspNetCore.Http.HttpResults;
namespace SleepTime.Server;

/// <summary>/api/contexts/{id}/learned: the current learned context, its history, one version, a diff, provenance.</summary>
public static class LearnedContextEndpoints
{
    public static RouteGroupBuilder MapLearnedContexts(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/contexts/{id}/learned").WithTags("Learned contexts");
        group.MapGet("/", CurrentAsync).WithName("GetLearnedContext");
        group.MapGet("/history", HistoryAsync).WithName("GetLearnedContextHistory");
        group.MapGet("/diff", DiffAsync).WithName("DiffLearnedContexts");
        group.MapGet("/{version:long}", VersionAsync).WithName("GetLearnedContextVersion");
        group.MapGet("/{version:long}/provenance", ProvenanceAsync).WithName("GetLearnedContextProvenance");
        return group;
    }

    private static async Task<Results<Ok<LearnedContextView>, ProblemHttpResult>> CurrentAsync(string id, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var store = stores.Contexts(http);
        if (await store.GetSummaryAsync(id, ct) is null)
        {
            return ApiProblem.NotFound($"Context '{id}' was not found.");
        }

        var learned = await store.GetCurrentAsync(id, ct);
        return learned is null
            ? ApiProblem.NotFound($"Context '{id}' has no learned context yet: it has not slept.")
            : TypedResults.Ok(LearnedContextView.From(learned));
    }

    private static async Task<Results<Ok<List<LearnedContextView>>, ProblemHttpResult>> HistoryAsync(string id, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var store = stores.Contexts(http);
        if (await store.GetSummaryAsync(id, ct) is null)
        {
            return ApiProblem.NotFound($"Context '{id}' was not found.");
        }

        var history = await store.GetHistoryAsync(id, ct);
        return TypedResults.Ok(history.Select(LearnedContextView.From).ToList());
    }

    private static async Task<Results<Ok<LearnedContextView>, ProblemHttpResult>> VersionAsync(string id, long version, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var learned = await stores.Contexts(http).GetVersionAsync(id, version, ct);
        return learned is null ? ApiProblem.NotFound($"Context '{id}' has no learned context version {version}.") : TypedResults.Ok(LearnedContextView.From(learned));
    }

    private static async Task<Results<Ok<LearnedContextProvenance>, ProblemHttpResult>> ProvenanceAsync(string id, long version, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var learned = await stores.Contexts(http).GetVersionAsync(id, version, ct);
        return learned is null ? ApiProblem.NotFound($"Context '{id}' has no learned context version {version}.") : TypedResults.Ok(learned.Provenance);
    }

    private static async Task<Results<Ok<LearnedDiffView>, ProblemHttpResult>> DiffAsync(string id, long? from, long? to, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        if (from is null || to is null)
        {
            return ApiProblem.BadRequest("Name the two versions to compare: ?from=1&to=2.", from is null ? "from" : "to");
        }

        var store = stores.Contexts(http);
        var older = await store.GetVersionAsync(id, from.Value, ct);
        var newer = await store.GetVersionAsync(id, to.Value, ct);
        if (older is null || newer is null)
        {
            return ApiProblem.NotFound($"Context '{id}' has no learned context version {(older is null ? from : to)}.");
        }

        return TypedResults.Ok(new LearnedDiffView(id, from.Value, to.Value, LineDiff.Compare(older.Render(), newer.Render()).Select(l => new DiffLine(l.Kind.ToString(), l.Text)).ToList()));
    }
}
