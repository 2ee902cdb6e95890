using SleepTime.Client.Http;
using SleepTime.Server;

namespace SleepTime.Client.Contexts;

/// <summary>/api/contexts: documents and conversations, and each one's sleep schedule.</summary>
public sealed class ContextsClient
{
    private readonly ApiConnection api;

    internal ContextsClient(ApiConnection api) => this.api = api;

    public Task<ContextView> CreateAsync(CreateContextRequest request, CancellationToken cancellationToken = default) =>
        api.SendAsync<CreateContextRequest, ContextView>(HttpMethod.Post, "api/contexts", request, cancellationToken);

    /// <summary>A document context of one text.</summary>
    public Task<ContextView> CreateDocumentAsync(string text, string? id = null, SchedulePolicy? schedule = null, CancellationToken cancellationToken = default) =>
        CreateAsync(new CreateContextRequest(id, "document", text, null, schedule), cancellationToken);

    /// <summary>A conversation context of these turns (none: an empty conversation).</summary>
    public Task<ContextView> CreateConversationAsync(IReadOnlyList<ContentItem> turns, string? id = null, SchedulePolicy? schedule = null, CancellationToken cancellationToken = default) =>
        CreateAsync(new CreateContextRequest(id, "conversation", null, turns, schedule), cancellationToken);

    /// <summary>A codebase context: a repository under the server's codebase root (<paramref name="path"/> relative to it) at <paramref name="commit"/> (default: its HEAD), with related documents.</summary>
    public Task<ContextView> CreateCodebaseAsync(string path, string? commit = null, string? id = null, IReadOnlyList<ContentItem>? documents = null, SchedulePolicy? schedule = null, CancellationToken cancellationToken = default) =>
        CreateAsync(new CreateContextRequest(id, "codebase", null, documents, schedule, path, commit), cancellationToken);

    /// <summary>Moves a codebase context to a new commit; its next sleep reads only the diff since the commit its learned context was written for.</summary>
    public Task<ContextView> MoveCodebaseAsync(string id, string commit, CancellationToken cancellationToken = default) =>
        api.SendAsync<MoveCodebaseRequest, ContextView>(HttpMethod.Post, $"api/contexts/{PathOf.Id(id)}/commit", new MoveCodebaseRequest(commit), cancellationToken);

    /// <summary>One page of contexts; pass the page's <c>next_cursor</c> for the next.</summary>
    public Task<ContextPageView> ListAsync(int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<ContextPageView>(HttpMethod.Get, PathOf.Query("api/contexts", ("limit", limit), ("cursor", cursor)), cancellationToken);

    /// <summary>Every context, page after page.</summary>
    public async IAsyncEnumerable<ContextView> ListAllAsync(int pageSize = 100, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            var page = await ListAsync(pageSize, cursor, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>A context; with its entries unless <paramref name="entries"/> is false.</summary>
    public Task<ContextView> GetAsync(string id, bool entries = true, CancellationToken cancellationToken = default) =>
        api.SendAsync<ContextView>(HttpMethod.Get, PathOf.Query($"api/contexts/{PathOf.Id(id)}", ("entries", entries ? null : (bool?)false)), cancellationToken);

    /// <summary>A page of the context's entries in order, skipping <paramref name="offset"/>; <c>total</c> says how many it holds.</summary>
    public Task<EntryPageView> ListEntriesAsync(string id, long offset = 0, int? limit = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<EntryPageView>(HttpMethod.Get, PathOf.Query($"api/contexts/{PathOf.Id(id)}/entries", ("offset", offset), ("limit", limit)), cancellationToken);

    public Task<ContextView> AppendAsync(string id, WriteContextRequest request, CancellationToken cancellationToken = default) =>
        api.SendAsync<WriteContextRequest, ContextView>(HttpMethod.Post, $"api/contexts/{PathOf.Id(id)}/append", request, cancellationToken);

    /// <summary>Adds text to a document context.</summary>
    public Task<ContextView> AppendTextAsync(string id, string text, CancellationToken cancellationToken = default) =>
        AppendAsync(id, new WriteContextRequest(text, null), cancellationToken);

    /// <summary>Adds turns (role and text) to a conversation context.</summary>
    public Task<ContextView> AppendTurnsAsync(string id, IReadOnlyList<ContentItem> turns, CancellationToken cancellationToken = default) =>
        AppendAsync(id, new WriteContextRequest(null, turns), cancellationToken);

    /// <summary>Starts the context over with this content.</summary>
    public Task<ContextView> ReplaceAsync(string id, WriteContextRequest request, CancellationToken cancellationToken = default) =>
        api.SendAsync<WriteContextRequest, ContextView>(HttpMethod.Put, $"api/contexts/{PathOf.Id(id)}", request, cancellationToken);

    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        api.SendAsync(HttpMethod.Delete, $"api/contexts/{PathOf.Id(id)}", cancellationToken);

    public Task<SchedulePolicy> GetScheduleAsync(string id, CancellationToken cancellationToken = default) =>
        api.SendAsync<SchedulePolicy>(HttpMethod.Get, $"api/contexts/{PathOf.Id(id)}/schedule", cancellationToken);

    public Task<SchedulePolicy> SetScheduleAsync(string id, SchedulePolicy policy, CancellationToken cancellationToken = default) =>
        api.SendAsync<SchedulePolicy, SchedulePolicy>(HttpMethod.Put, $"api/contexts/{PathOf.Id(id)}/schedule", policy, cancellationToken);
}
