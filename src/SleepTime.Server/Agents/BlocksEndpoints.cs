using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using SleepTime.Agents;

namespace SleepTime.Server;

/// <summary>/api/blocks: versioned memory blocks. A write names the version it read (body or <c>If-Match</c>); a stale one is a 409.</summary>
public static class BlocksEndpoints
{
    public static RouteGroupBuilder MapBlocks(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/blocks").WithTags("Blocks");
        group.MapPost("/", CreateAsync).WithName("CreateBlock");
        group.MapGet("/", ListAsync).WithName("ListBlocks");
        group.MapGet("/{id}", GetAsync).WithName("GetBlock");
        group.MapPut("/{id}", UpdateAsync).WithName("UpdateBlock");
        group.MapGet("/{id}/agents", AgentsAsync).WithName("BlockAgents");
        return group;
    }

    private static async Task<Created<Block>> CreateAsync(CreateBlockRequest request, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        var block = await tenant.Blocks.CreateAsync(request.ToNewBlock(), AgentApi.Author(http), ct);
        http.Response.Headers.ETag = ETag(block.Version);
        return TypedResults.Created($"/api/blocks/{block.Id}", block);
    }

    private static async Task<Results<Ok<IReadOnlyList<Block>>, ProblemHttpResult>> ListAsync(string? label, int? limit, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        if (AgentApi.CheckLimit(limit) is { } bad)
        {
            return bad;
        }

        var tenant = stores.Agents(http);
        return TypedResults.Ok(await tenant.Blocks.ListAsync(label, limit ?? 100, ct));
    }

    private static async Task<Results<Ok<Block>, ProblemHttpResult>> GetAsync(string id, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        var block = await tenant.Blocks.GetAsync(id, ct);
        if (block is null)
        {
            return ApiProblem.NotFound($"Block '{id}' was not found.");
        }

        http.Response.Headers.ETag = ETag(block.Version);
        return TypedResults.Ok(block);
    }

    private static async Task<Results<Ok<Block>, ProblemHttpResult>> UpdateAsync(string id, UpdateBlockRequest request, HttpContext http, TenantStores stores, EventHub events, TimeProvider time, CancellationToken ct)
    {
        if (request.Value is null)
        {
            return ApiProblem.BadRequest("value is required (use an empty string to clear the block).", "value");
        }

        var expected = request.ExpectedVersion;
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (!string.IsNullOrEmpty(ifMatch))
        {
            if (!long.TryParse(ifMatch.Trim().TrimStart('W', '/').Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var fromHeader))
            {
                return ApiProblem.BadRequest("If-Match must be the block's version as an entity tag, e.g. \"3\".", "If-Match");
            }

            if (expected is not null && expected != fromHeader)
            {
                return ApiProblem.BadRequest("expected_version and If-Match disagree.", "expected_version");
            }

            expected = fromHeader;
        }

        if (expected is null)
        {
            return ApiProblem.BadRequest("Say which version you are replacing: expected_version in the body or an If-Match header.", "expected_version");
        }

        var tenant = stores.Agents(http);
        var result = await tenant.Blocks.TryUpdateAsync(id, expected.Value, request.Value, AgentApi.Author(http), ct);
        http.Response.Headers.ETag = ETag(result.Current.Version);
        if (!result.Updated)
        {
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Version conflict",
                Detail = $"Block '{id}' is at version {result.Current.Version}, not {expected}; read it again and reapply your edit.",
                Type = "https://httpstatuses.io/409",
                Extensions = { ["current_version"] = result.Current.Version, ["current_value"] = result.Current.Value },
            });
        }

        await AgentEvents.PublishBlockAsync(events, tenant.Blocks, tenant.TenantId, id, time.GetUtcNow());
        return TypedResults.Ok(result.Current);
    }

    private static async Task<Results<Ok<IReadOnlyList<string>>, ProblemHttpResult>> AgentsAsync(string id, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        return await tenant.Blocks.GetAsync(id, ct) is null
            ? ApiProblem.NotFound($"Block '{id}' was not found.")
            : TypedResults.Ok(await tenant.Blocks.AgentsUsingAsync(id, ct));
    }

    private static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";
}
