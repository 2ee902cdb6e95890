using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace SleepTime.Server;

/// <summary>Documents attached to an agent: stored (in parts when long) and read by its sleep-time agents in the background.</summary>
public static class AgentDocumentsEndpoints
{
    public static RouteGroupBuilder MapAgentDocuments(this RouteGroupBuilder api)
    {
        api.MapPost("/agents/{id}/documents", AttachAsync).WithTags("Documents").WithName("AttachDocument");
        api.MapGet("/agents/{id}/documents", ListAsync).WithTags("Documents").WithName("ListDocuments");
        return api;
    }

    private static async Task<Results<Accepted<List<DocumentView>>, ProblemHttpResult>> AttachAsync(string id, AttachDocumentRequest request, HttpContext http, TenantStores stores, SleepScheduler scheduler, IOptions<AgentServerOptions> options, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            return ApiProblem.BadRequest("A document needs some text.", "text");
        }

        if (request.Text.Length > options.Value.MaxDocumentChars)
        {
            return ApiProblem.TooLarge($"A document may have at most {options.Value.MaxDocumentChars:N0} characters.");
        }

        var tenant = stores.Agents(http);
        if (await tenant.Agents.GetAgentAsync(id, ct) is null)
        {
            return AgentApi.NoSuchAgent(id);
        }

        var parts = DocumentChunker.Split(request.Text, options.Value.DocumentPartCharacters);
        var documents = new List<AgentDocument>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            var title = parts.Count == 1 ? request.Title ?? "untitled" : $"{request.Title ?? "untitled"} (part {i + 1} of {parts.Count})";
            documents.Add(await tenant.Documents.AddAsync(id, title, parts[i], ct));
        }

        await scheduler.OnAgentChangedAsync(tenant.TenantId, id, ct);
        return TypedResults.Accepted($"/api/agents/{id}/documents", documents.Select(DocumentView.From).ToList());
    }

    private static async Task<Results<Ok<List<DocumentView>>, ProblemHttpResult>> ListAsync(string id, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        if (await tenant.Agents.GetAgentAsync(id, ct) is null)
        {
            return AgentApi.NoSuchAgent(id);
        }

        return TypedResults.Ok((await tenant.Documents.ListAsync(id, 0, ct)).Select(DocumentView.From).ToList());
    }
}
