using System.Net;
using SleepTime.Client.Http;
using SleepTime.Server;

namespace SleepTime.Client.ChangeSets;

/// <summary>What sleep-time agents changed, block by block: list, get, and review (approve, reject, revert).</summary>
public sealed class ChangeSetsClient
{
    private readonly ApiConnection api;

    internal ChangeSetsClient(ApiConnection api) => this.api = api;

    public Task<List<ChangeSetView>> ListAsync(string agentId, string? status = null, int? limit = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<ChangeSetView>>(HttpMethod.Get, PathOf.Query($"api/agents/{PathOf.Id(agentId)}/changes", ("status", status), ("limit", limit)), cancellationToken);

    public Task<ChangeSetView> GetAsync(string changeSetId, CancellationToken cancellationToken = default) =>
        api.SendAsync<ChangeSetView>(HttpMethod.Get, Path(changeSetId), cancellationToken);

    /// <summary>Applies what waits for review (one block, or all); <paramref name="overwriteConflicts"/> writes over newer values.</summary>
    public Task<ChangeSetView> ApproveAsync(string changeSetId, string? blockId = null, bool? overwriteConflicts = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<ReviewRequest, ChangeSetView>(HttpMethod.Post, Path(changeSetId) + "/approve", new ReviewRequest(blockId, overwriteConflicts), cancellationToken);

    public Task<ChangeSetView> RejectAsync(string changeSetId, string? blockId = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<ReviewRequest, ChangeSetView>(HttpMethod.Post, Path(changeSetId) + "/reject", new ReviewRequest(blockId, null), cancellationToken);

    /// <summary>Undoes a committed change set; refused (<see cref="RevertView.Reverted"/> false, with the conflicts) for blocks written since.</summary>
    public async Task<RevertView> RevertAsync(string changeSetId, CancellationToken cancellationToken = default)
    {
        var response = await api.SendRawAsync(HttpMethod.Post, Path(changeSetId) + "/revert", null, cancellationToken, throwOnError: false).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            using (response)
            {
                throw await ApiConnection.ProblemAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }

        return await ApiConnection.ReadAsync<RevertView>(response, cancellationToken).ConfigureAwait(false);
    }

    private static string Path(string changeSetId) => $"api/changes/{PathOf.Id(changeSetId)}";
}
