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

    private static async Task<IResult> AttachAsync(string id, AttachDocumentRequest request, HttpContext http, AgentRuntime runtime, IOptions<AgentServerOptions> options, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            return Problems.BadRequest("A document needs some text.", "text");
        }

        if (request.Text.Length > options.Value.MaxDocumentChars)
        {
            return Problems.TooLarge($"A document may have at most {options.Value.MaxDocumentChars:N0} characters.");
        }

        var tenant = await runtime.RuntimeAsync(http);
        var documents = await tenant.Coordinator.IngestDocumentAsync(id, request.Title ?? "untitled", request.Text, ct);
        return TypedResults.Accepted($"/api/agents/{id}/documents", documents.Select(DocumentView.From).ToList());
    }

    private static async Task<IResult> ListAsync(string id, HttpContext http, AgentRuntime runtime, CancellationToken ct)
    {
        var tenant = await runtime.RuntimeAsync(http);
        if (await tenant.Database.Agents.GetAgentAsync(id, ct) is null)
        {
            return AgentApi.AgentNotFound(id);
        }

        return TypedResults.Ok((await tenant.Database.Documents.ListAsync(id, 0, ct)).Select(DocumentView.From).ToList());
    }
}
