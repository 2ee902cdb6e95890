using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace SleepTime.Server;

/// <summary>Codebase contexts: created through <c>POST /api/contexts</c> with <c>kind: codebase</c>; moved to a new commit here.</summary>
public static class CodebaseEndpoints
{
    public static IServiceCollection AddCodebases(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CodebaseOptions>().Bind(configuration.GetSection(CodebaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CodebaseService>();
        services.AddSingleton<CodebaseWatcher>();
        return services;
    }

    public static RouteGroupBuilder MapCodebases(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/contexts").WithTags("Contexts");
        group.MapPost("/{id}/commit", MoveAsync).WithName("MoveCodebase");
        return group;
    }

    /// <summary><c>POST /api/contexts</c> with <c>kind: codebase</c>: <c>path</c> (under the server's root) and an optional <c>commit</c> (default: HEAD), related documents as <c>content</c>.</summary>
    internal static async Task<Results<Created<ContextView>, ProblemHttpResult>> CreateAsync(CreateContextRequest request, HttpContext http, TenantStores stores, SleepScheduler scheduler, CodebaseService codebases, IOptions<ServerOptions> options, CancellationToken ct)
    {
        if (request.Text is not null)
        {
            return ApiProblem.BadRequest("A codebase context takes 'path' and 'commit'; related documents go in 'content'.", "text");
        }

        var documents = request.Content is null ? [] : ContextInputs.From(null, request.Content);
        CodebaseContext.Validate(documents);
        var revision = await codebases.ResolveAsync(request.Path, request.Commit, ct);
        List<ContextInput> content = [CodebaseContext.Revision(revision), .. documents];
        if (revision.Files is { Count: var files } && content[0].Text.Length > options.Value.MaxContextChars / 2)
        {
            // A directory's revisions must leave room to be recorded: its list of every file may take half the limit.
            return ApiProblem.TooLarge($"The directory's list of {files:N0} files takes {content[0].Text.Length:N0} characters; a directory context may use at most half of the {options.Value.MaxContextChars:N0} a context may hold ({ServerOptions.Section}:MaxContextChars) for it. Read a smaller folder, or a git repository at a commit.");
        }

        if (content.Sum(c => (long)c.Text.Length) > options.Value.MaxContextChars)
        {
            return ApiProblem.TooLarge($"A context may hold at most {options.Value.MaxContextChars:N0} characters.");
        }

        if (request.Schedule is { } requested)
        {
            CronRules.Validate(requested);
        }

        var store = stores.Contexts(http);
        var snapshot = await store.CreateAsync(ContextKind.Codebase, content, request.Id, request.Schedule?.ToJson(), ct);
        var summary = (await store.GetSummaryAsync(snapshot.Id, ct))!;
        if (request.Schedule?.Cron is not null)
        {
            await scheduler.ApplyPolicyAsync(store.TenantId, SleeperKind.Context, snapshot.Id, request.Schedule, ct);
        }

        await scheduler.OnContextChangedAsync(store.TenantId, snapshot.Id, ct);
        return TypedResults.Created($"/api/contexts/{snapshot.Id}", ContextsEndpoints.View(summary, scheduler, snapshot));
    }

    private static async Task<Results<Ok<ContextView>, ProblemHttpResult>> MoveAsync(string id, MoveCodebaseRequest request, HttpContext http, TenantStores stores, SleepScheduler scheduler, CodebaseService codebases, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Commit))
        {
            return ApiProblem.BadRequest("Name the commit to move to.", "commit");
        }

        var store = stores.Contexts(http);
        if (await store.GetAsync(id, ct) is not { } context)
        {
            return ApiProblem.NotFound($"Context '{id}' was not found.");
        }

        if (context.Kind != ContextKind.Codebase || CodebaseContext.RevisionAt(context) is not { } current)
        {
            return ApiProblem.BadRequest($"Context '{id}' is not a codebase context.", "id");
        }

        var revision = await codebases.ResolveAsync(current.Path, request.Commit, ct);
        await store.AppendAsync(id, [CodebaseContext.Revision(revision)], ct);
        var summary = (await store.GetSummaryAsync(id, ct))!;
        await scheduler.OnContextChangedAsync(store.TenantId, id, ct);
        return TypedResults.Ok(ContextsEndpoints.View(summary, scheduler));
    }
}
