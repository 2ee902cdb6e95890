namespace SleepTime.Server;

/// <summary>/api/contexts/{id}/learned: the current learned context, its history, one version, a diff, provenance.</summary>
public static class LearnedContextEndpoints
{
    public static RouteGroupBuilder MapLearnedContexts(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/contexts/{id}/learned").WithTags("Learned contexts");
        group.MapGet("/", CurrentAsync).WithName("GetLearnedContext").Produces<LearnedContextView>();
        group.MapGet("/history", HistoryAsync).WithName("GetLearnedContextHistory").Produces<List<LearnedContextView>>();
        group.MapGet("/diff", DiffAsync).WithName("DiffLearnedContexts").Produces<LearnedDiffView>();
        group.MapGet("/{version:long}", VersionAsync).WithName("GetLearnedContextVersion").Produces<LearnedContextView>();
        group.MapGet("/{version:long}/provenance", ProvenanceAsync).WithName("GetLearnedContextProvenance").Produces<LearnedContextProvenance>();
        return group;
    }

    private static async Task<IResult> CurrentAsync(string id, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var store = stores.Contexts(http);
        if (await store.GetSummaryAsync(id, ct) is null)
        {
            return Problems.NotFound($"Context '{id}' was not found.");
        }

        var learned = await store.GetCurrentAsync(id, ct);
        return learned is null
            ? Problems.NotFound($"Context '{id}' has no learned context yet: it has not slept.")
            : TypedResults.Ok(LearnedContextView.From(learned));
    }

    private static async Task<IResult> HistoryAsync(string id, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var store = stores.Contexts(http);
        if (await store.GetSummaryAsync(id, ct) is null)
        {
            return Problems.NotFound($"Context '{id}' was not found.");
        }

        var history = await store.GetHistoryAsync(id, ct);
        return TypedResults.Ok(history.Select(LearnedContextView.From).ToList());
    }

    private static async Task<IResult> VersionAsync(string id, long version, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var learned = await stores.Contexts(http).GetVersionAsync(id, version, ct);
        return learned is null ? Problems.NotFound($"Context '{id}' has no learned context version {version}.") : TypedResults.Ok(LearnedContextView.From(learned));
    }

    private static async Task<IResult> ProvenanceAsync(string id, long version, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var learned = await stores.Contexts(http).GetVersionAsync(id, version, ct);
        return learned is null ? Problems.NotFound($"Context '{id}' has no learned context version {version}.") : TypedResults.Ok(learned.Provenance);
    }

    private static async Task<IResult> DiffAsync(string id, long? from, long? to, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        if (from is null || to is null)
        {
            return Problems.BadRequest("Name the two versions to compare: ?from=1&to=2.");
        }

        var store = stores.Contexts(http);
        var older = await store.GetVersionAsync(id, from.Value, ct);
        var newer = await store.GetVersionAsync(id, to.Value, ct);
        if (older is null || newer is null)
        {
            return Problems.NotFound($"Context '{id}' has no learned context version {(older is null ? from : to)}.");
        }

        return TypedResults.Ok(new LearnedDiffView(id, from.Value, to.Value, LineDiff.Compare(older.Render(), newer.Render()).Select(l => new DiffLine(l.Kind.ToString(), l.Text)).ToList()));
    }
}
