using SleepTime.Client.Http;
using SleepTime.Server;

namespace SleepTime.Client.Agents;

/// <summary>
/// Primary agents and what hangs off them: messages, documents, archival passages, attached blocks and their
/// sleep-time agents.
/// </summary>
public sealed class AgentsClient
{
    private readonly ApiConnection api;

    internal AgentsClient(ApiConnection api) => this.api = api;

    public Task<AgentView> CreateAsync(CreateAgentRequest request, CancellationToken cancellationToken = default) =>
        api.SendAsync<CreateAgentRequest, AgentView>(HttpMethod.Post, "api/agents", request, cancellationToken);

    public Task<List<AgentView>> ListAsync(int? limit = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<AgentView>>(HttpMethod.Get, PathOf.Query("api/agents", ("limit", limit)), cancellationToken);

    public Task<AgentView> GetAsync(string agentId, CancellationToken cancellationToken = default) =>
        api.SendAsync<AgentView>(HttpMethod.Get, Path(agentId), cancellationToken);

    public Task DeleteAsync(string agentId, CancellationToken cancellationToken = default) =>
        api.SendAsync(HttpMethod.Delete, Path(agentId), cancellationToken);

    /// <summary>One turn: the agent answers from its blocks; its sleep-time agents read the turn later.</summary>
    public Task<TurnView> SendMessageAsync(string agentId, string message, CancellationToken cancellationToken = default) =>
        api.SendAsync<SendMessageRequest, TurnView>(HttpMethod.Post, Path(agentId) + "/messages", new SendMessageRequest(message), cancellationToken);

    public Task<List<MessageView>> ListMessagesAsync(string agentId, long? after = null, int? limit = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<MessageView>>(HttpMethod.Get, PathOf.Query(Path(agentId) + "/messages", ("after", after), ("limit", limit)), cancellationToken);

    public Task<List<MessageView>> SearchMessagesAsync(string agentId, string query, int? limit = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<MessageView>>(HttpMethod.Get, PathOf.Query(Path(agentId) + "/messages/search", ("query", query), ("limit", limit)), cancellationToken);

    /// <summary>Attaches a document (stored in parts when long); sleep-time agents read it in the background.</summary>
    public Task<List<DocumentView>> AttachDocumentAsync(string agentId, string title, string text, CancellationToken cancellationToken = default) =>
        api.SendAsync<AttachDocumentRequest, List<DocumentView>>(HttpMethod.Post, Path(agentId) + "/documents", new AttachDocumentRequest(title, text), cancellationToken);

    public Task<List<DocumentView>> ListDocumentsAsync(string agentId, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<DocumentView>>(HttpMethod.Get, Path(agentId) + "/documents", cancellationToken);

    public Task<PassageView> InsertPassageAsync(string agentId, string text, CancellationToken cancellationToken = default) =>
        api.SendAsync<InsertPassageRequest, PassageView>(HttpMethod.Post, Path(agentId) + "/archival", new InsertPassageRequest(text), cancellationToken);

    public Task<List<PassageView>> SearchPassagesAsync(string agentId, string? query = null, int? limit = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<PassageView>>(HttpMethod.Get, PathOf.Query(Path(agentId) + "/archival", ("query", query), ("limit", limit)), cancellationToken);

    public Task<List<Block>> ListBlocksAsync(string agentId, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<Block>>(HttpMethod.Get, Path(agentId) + "/blocks", cancellationToken);

    /// <summary>Attaches an existing block (blocks attached to several agents are shared memory).</summary>
    public Task<AgentView> AttachBlockAsync(string agentId, string blockId, CancellationToken cancellationToken = default) =>
        api.SendAsync<AgentView>(HttpMethod.Put, $"{Path(agentId)}/blocks/{PathOf.Id(blockId)}", cancellationToken);

    public Task<AgentView> DetachBlockAsync(string agentId, string blockId, CancellationToken cancellationToken = default) =>
        api.SendAsync<AgentView>(HttpMethod.Delete, $"{Path(agentId)}/blocks/{PathOf.Id(blockId)}", cancellationToken);

    /// <summary>A sleep-time agent that rewrites this agent's blocks in the background.</summary>
    public Task<SleepTimeAgentView> CreateSleepTimeAgentAsync(string agentId, CreateSleepTimeAgentRequest request, CancellationToken cancellationToken = default) =>
        api.SendAsync<CreateSleepTimeAgentRequest, SleepTimeAgentView>(HttpMethod.Post, Path(agentId) + "/sleeptime-agents", request, cancellationToken);

    public Task<List<SleepTimeAgentView>> ListSleepTimeAgentsAsync(string agentId, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<SleepTimeAgentView>>(HttpMethod.Get, Path(agentId) + "/sleeptime-agents", cancellationToken);

    public Task<SleepTimeAgentView> GetSleepTimeAgentAsync(string sleepTimeAgentId, CancellationToken cancellationToken = default) =>
        api.SendAsync<SleepTimeAgentView>(HttpMethod.Get, $"api/sleeptime-agents/{PathOf.Id(sleepTimeAgentId)}", cancellationToken);

    /// <summary>One sleep-time run (the same record as <see cref="Runs.RunsClient.GetAsync"/>).</summary>
    public Task<RunView> GetSleepTimeRunAsync(string runId, CancellationToken cancellationToken = default) =>
        api.SendAsync<RunView>(HttpMethod.Get, $"api/sleeptime-runs/{PathOf.Id(runId)}", cancellationToken);

    private static string Path(string agentId) => $"api/agents/{PathOf.Id(agentId)}";
}
