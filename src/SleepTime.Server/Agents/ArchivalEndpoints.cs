using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SleepTime.Agents;

namespace SleepTime.Server;

/// <summary>An agent's archival memory: insert passages, search them (embeddings when a generator is registered, else BM25).</summary>
public static class ArchivalEndpoints
{
    public static RouteGroupBuilder MapArchival(this RouteGroupBuilder api)
    {
        api.MapPost("/agents/{id}/archival", InsertAsync).WithTags("Archival memory").WithName("InsertPassage");
        api.MapGet("/agents/{id}/archival", SearchAsync).WithTags("Archival memory").WithName("SearchPassages");
        return api;
    }

    private static async Task<Results<Created<PassageView>, ProblemHttpResult>> InsertAsync(string id, InsertPassageRequest request, HttpContext http, TenantStores stores, IOptions<AgentServerOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            return ApiProblem.BadRequest("A passage needs some text.", "text");
        }

        if (request.Text.Length > options.Value.MaxPassageChars)
        {
            return ApiProblem.TooLarge($"A passage may have at most {options.Value.MaxPassageChars:N0} characters.");
        }

        var tenant = stores.Agents(http);
        if (await tenant.Agents.GetAgentAsync(id, ct) is null)
        {
            return AgentApi.NoSuchAgent(id);
        }

        var passage = await Memory(tenant, http, time).InsertAsync(id, request.Text, ct);
        return TypedResults.Created($"/api/agents/{id}/archival", PassageView.From(passage));
    }

    private static async Task<Results<Ok<List<PassageView>>, ProblemHttpResult>> SearchAsync(string id, string? query, int? limit, HttpContext http, TenantStores stores, TimeProvider time, CancellationToken ct)
    {
        if (AgentApi.CheckLimit(limit) is { } bad)
        {
            return bad;
        }

        var tenant = stores.Agents(http);
        if (await tenant.Agents.GetAgentAsync(id, ct) is null)
        {
            return AgentApi.NoSuchAgent(id);
        }

        if (string.IsNullOrWhiteSpace(query))
        {
            return TypedResults.Ok((await tenant.Archival.ListAsync(id, ct)).TakeLast(limit ?? 100).Select(p => PassageView.From(p)).ToList());
        }

        var hits = await Memory(tenant, http, time).SearchAsync(id, query, limit ?? 5, ct);
        return TypedResults.Ok(hits.Select(h => PassageView.From(h.Passage, h.Score, h.Mode)).ToList());
    }

    private static ArchivalMemory Memory(TenantAgentStores tenant, HttpContext http, TimeProvider time) =>
        new(tenant.Archival, http.RequestServices.GetService<IEmbeddingGenerator<string, Embedding<float>>>(), time);
}
