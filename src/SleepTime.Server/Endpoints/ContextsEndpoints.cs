using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>/api/contexts: create, list, get, append, replace, delete, and the context's sleep schedule.</summary>
public static class ContextsEndpoints
{
    private const int MaxEntriesPage = 500;

    public static RouteGroupBuilder MapContexts(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/contexts").WithTags("Contexts");
        group.MapPost("/", CreateAsync).WithName("CreateContext");
        group.MapGet("/", ListAsync).WithName("ListContexts");
        group.MapGet("/{id}", GetAsync).WithName("GetContext");
        group.MapGet("/{id}/entries", ListEntriesAsync).WithName("ListContextEntries");
        group.MapPost("/{id}/append", AppendAsync).WithName("AppendToContext");
        group.MapPut("/{id}", ReplaceAsync).WithName("ReplaceContext");
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteContext");
        group.MapGet("/{id}/schedule", GetScheduleAsync).WithName("GetSchedule");
        group.MapPut("/{id}/schedule", SetScheduleAsync).WithName("SetSchedule");
        return group;
    }

    private static async Task<Results<Created<ContextView>, ProblemHttpResult>> CreateAsync(CreateContextRequest request, HttpContext http, TenantStores stores, SleepScheduler scheduler, CodebaseService codebases, IOptions<ServerOptions> options, CancellationToken ct)
    {
        if (string.Equals(request.Kind, "codebase", StringComparison.OrdinalIgnoreCase))
        {
            return await CodebaseEndpoints.CreateAsync(request, http, stores, scheduler, codebases, options, ct);
        }

        var content = ContextInputs.From(request.Text, request.Content);
        var kind = ContextInputs.ParseKind(request.Kind, content);
        if (content.Sum(c => (long)c.Text.Length) > options.Value.MaxContextChars)
        {
            return ApiProblem.TooLarge($"A context may hold at most {options.Value.MaxContextChars:N0} characters.");
        }

        if (request.Schedule is { } requested)
        {
            CronRules.Validate(requested);
        }

        var store = stores.Contexts(http);
        var snapshot = await store.CreateAsync(kind, content, request.Id, request.Schedule?.ToJson(), ct);
        var summary = (await store.GetSummaryAsync(snapshot.Id, ct))!;
        if (request.Schedule?.Cron is not null)
        {
            await scheduler.ApplyPolicyAsync(store.TenantId, SleeperKind.Context, snapshot.Id, request.Schedule, ct);
        }

        await scheduler.OnContextChangedAsync(store.TenantId, snapshot.Id, ct);
        return TypedResults.Created($"/api/contexts/{snapshot.Id}", View(summary, scheduler, snapshot));
    }

    private static async Task<Results<Ok<ContextPageView>, ProblemHttpResult>> ListAsync(HttpContext http, TenantStores stores, SleepScheduler scheduler, int? limit, string? cursor, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
        {
            return ApiProblem.BadRequest("limit must be between 1 and 1000.", "limit");
        }

        var page = await stores.Contexts(http).ListAsync(limit ?? 50, cursor, ct);
        return TypedResults.Ok(new ContextPageView(page.Items.Select(s => View(s, scheduler)).ToList(), page.NextCursor));
    }

    private static async Task<Results<Ok<ContextView>, ProblemHttpResult>> GetAsync(string id, HttpContext http, TenantStores stores, SleepScheduler scheduler, bool? entries, CancellationToken ct)
    {
        var store = stores.Contexts(http);
        var summary = await store.GetSummaryAsync(id, ct);
        if (summary is null)
        {
            return ApiProblem.NotFound($"Context '{id}' was not found.");
        }

        var snapshot = entries == false ? null : await store.GetAsync(id, ct);
        return TypedResults.Ok(View(summary, scheduler, snapshot));
    }

    private static async Task<Results<Ok<EntryPageView>, ProblemHttpResult>> ListEntriesAsync(string id, HttpContext http, TenantStores stores, long? offset, int? limit, CancellationToken ct)
    {
        if (offset is < 0)
        {
            return ApiProblem.BadRequest("offset must be 0 or more.", "offset");
        }

        if (limit is < 1 or > MaxEntriesPage)
        {
            return ApiProblem.BadRequest($"limit must be between 1 and {MaxEntriesPage}.", "limit");
        }

        var page = await stores.Contexts(http).ListEntriesAsync(id, offset ?? 0, limit ?? 50, ct);
        return page is null
            ? ApiProblem.NotFound($"Context '{id}' was not found.")
            : TypedResults.Ok(new EntryPageView(page.Items.Select(e => new EntryView(e.Version, e.Role, e.Text, e.AddedAt)).ToList(), page.Offset, page.Total));
    }

    private static Task<Results<Ok<ContextView>, ProblemHttpResult>> AppendAsync(string id, WriteContextRequest request, HttpContext http, TenantStores stores, SleepScheduler scheduler, IOptions<ServerOptions> options, CancellationToken ct) =>
        WriteCheckedAsync(id, request, replace: false, http, stores, scheduler, options.Value, ct);

    private static Task<Results<Ok<ContextView>, ProblemHttpResult>> ReplaceAsync(string id, WriteContextRequest request, HttpContext http, TenantStores stores, SleepScheduler scheduler, IOptions<ServerOptions> options, CancellationToken ct) =>
        WriteCheckedAsync(id, request, replace: true, http, stores, scheduler, options.Value, ct);

    /// <summary>An append or a replace, as the untyped result the facade inspects for its status (413, 404).</summary>
    internal static async Task<IResult> WriteAsync(string id, WriteContextRequest request, bool replace, HttpContext http, TenantStores stores, SleepScheduler scheduler, ServerOptions options, CancellationToken ct) =>
        (await WriteCheckedAsync(id, request, replace, http, stores, scheduler, options, ct).ConfigureAwait(false)).Result;

    private static async Task<Results<Ok<ContextView>, ProblemHttpResult>> WriteCheckedAsync(string id, WriteContextRequest request, bool replace, HttpContext http, TenantStores stores, SleepScheduler scheduler, ServerOptions options, CancellationToken ct)
    {
        var content = ContextInputs.From(request.Text, request.Content);
        var writer = new ContextWriter(stores.Contexts(http), scheduler, options.MaxContextChars);
        var written = replace ? await writer.ReplaceAsync(id, content, ct) : await writer.AppendAsync(id, content, cancellationToken: ct);
        return written.Outcome switch
        {
            ContextWriteOutcome.NotFound => ApiProblem.NotFound(written.Problem!),
            ContextWriteOutcome.TooLarge => ApiProblem.TooLarge(written.Problem!),
            ContextWriteOutcome.Conflict => ApiProblem.Of(StatusCodes.Status409Conflict, "Conflict", written.Problem!),
            _ => TypedResults.Ok(View(written.Summary!, scheduler)),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, HttpContext http, TenantStores stores, SleepScheduler scheduler, CancellationToken ct)
    {
        var store = stores.Contexts(http);
        if (!await store.DeleteAsync(id, ct))
        {
            return ApiProblem.NotFound($"Context '{id}' was not found.");
        }

        await scheduler.ForgetAsync(store.TenantId, SleeperKind.Context, id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<SchedulePolicy>, ProblemHttpResult>> GetScheduleAsync(string id, HttpContext http, TenantStores stores, SleepScheduler scheduler, CancellationToken ct)
    {
        var summary = await stores.Contexts(http).GetSummaryAsync(id, ct);
        return summary is null ? ApiProblem.NotFound($"Context '{id}' was not found.") : TypedResults.Ok(scheduler.PolicyOf(summary));
    }

    private static async Task<Results<Ok<SchedulePolicy>, ProblemHttpResult>> SetScheduleAsync(string id, SchedulePolicy policy, HttpContext http, TenantStores stores, SleepScheduler scheduler, CancellationToken ct)
    {
        CronRules.Validate(policy);
        var store = stores.Contexts(http);
        if (!await store.SetScheduleAsync(id, policy.ToJson(), ct))
        {
            return ApiProblem.NotFound($"Context '{id}' was not found.");
        }

        await scheduler.ApplyPolicyAsync(store.TenantId, SleeperKind.Context, id, policy, ct);
        return TypedResults.Ok(policy);
    }

    internal static ContextView View(ContextSummary s, SleepScheduler scheduler, ContextSnapshot? snapshot = null) => new(
        s.Id, s.Kind.ToString().ToLowerInvariant(), s.Version, s.BaseVersion, s.Length, s.Turns, s.ProcessedVersion, s.LearnedVersion,
        scheduler.PolicyOf(s), s.CreatedAt, s.UpdatedAt,
        snapshot?.Entries.Select(e => new EntryView(e.Version, e.Role, e.Text, e.AddedAt)).ToList());
}
