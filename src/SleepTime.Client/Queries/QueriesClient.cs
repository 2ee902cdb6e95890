using SleepTime.Client.Http;
using SleepTime.Server;

namespace SleepTime.Client.Queries;

/// <summary>/api/contexts/{id}/queries: questions answered on a small budget from the learned context (or a baseline arm).</summary>
public sealed class QueriesClient
{
    private readonly ApiConnection api;

    internal QueriesClient(ApiConnection api) => this.api = api;

    /// <summary>
    /// Asks a question. <see cref="AskRequest.Arm"/>: <c>sleep_time</c> (default), <c>baseline</c> or <c>context_only</c>;
    /// <see cref="AskRequest.WaitForRun"/> waits for an in-flight sleep before answering.
    /// </summary>
    public Task<AnswerView> AskAsync(string contextId, AskRequest request, CancellationToken cancellationToken = default) =>
        api.SendAsync<AskRequest, AnswerView>(HttpMethod.Post, $"api/contexts/{PathOf.Id(contextId)}/queries", request, cancellationToken);

    /// <summary>Asks on the sleep-time arm with this test-time budget.</summary>
    public Task<AnswerView> AskAsync(string contextId, string question, BudgetRequest? budget = null, CancellationToken cancellationToken = default) =>
        AskAsync(contextId, new AskRequest(question, null, budget, null, null, null), cancellationToken);

    public Task<List<AnswerView>> ListAsync(string contextId, int? limit = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<AnswerView>>(HttpMethod.Get, PathOf.Query($"api/contexts/{PathOf.Id(contextId)}/queries", ("limit", limit)), cancellationToken);

    public Task<AnswerView> GetAsync(string contextId, string queryId, CancellationToken cancellationToken = default) =>
        api.SendAsync<AnswerView>(HttpMethod.Get, $"api/contexts/{PathOf.Id(contextId)}/queries/{PathOf.Id(queryId)}", cancellationToken);
}
