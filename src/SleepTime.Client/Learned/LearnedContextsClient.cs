using System.Globalization;
using System.Net;
using SleepTime.Client.Http;
using SleepTime.Server;

namespace SleepTime.Client.Learned;

/// <summary>/api/contexts/{id}/learned: what sleep wrote for a context, c', version by version.</summary>
public sealed class LearnedContextsClient
{
    private readonly ApiConnection api;

    internal LearnedContextsClient(ApiConnection api) => this.api = api;

    /// <summary>The committed learned context; a 404 when the context has not slept yet or does not exist.</summary>
    public Task<LearnedContextView> GetCurrentAsync(string contextId, CancellationToken cancellationToken = default) =>
        api.SendAsync<LearnedContextView>(HttpMethod.Get, Path(contextId), cancellationToken);

    /// <summary>The committed learned context, or null when there is none (yet) for this id.</summary>
    public async Task<LearnedContextView?> FindCurrentAsync(string contextId, CancellationToken cancellationToken = default)
    {
        var response = await api.SendRawAsync(HttpMethod.Get, Path(contextId), null, cancellationToken, throwOnError: false).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await ApiConnection.ProblemAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }

        return await ApiConnection.ReadAsync<LearnedContextView>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every version, newest first.</summary>
    public Task<List<LearnedContextView>> HistoryAsync(string contextId, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<LearnedContextView>>(HttpMethod.Get, Path(contextId) + "/history", cancellationToken);

    public Task<LearnedContextView> GetVersionAsync(string contextId, long version, CancellationToken cancellationToken = default) =>
        api.SendAsync<LearnedContextView>(HttpMethod.Get, $"{Path(contextId)}/{version.ToString(CultureInfo.InvariantCulture)}", cancellationToken);

    /// <summary>What a version was made from: context version, model, prompt, k, usage.</summary>
    public Task<LearnedContextProvenance> GetProvenanceAsync(string contextId, long version, CancellationToken cancellationToken = default) =>
        api.SendAsync<LearnedContextProvenance>(HttpMethod.Get, $"{Path(contextId)}/{version.ToString(CultureInfo.InvariantCulture)}/provenance", cancellationToken);

    /// <summary>The line diff from one version to another.</summary>
    public Task<LearnedDiffView> DiffAsync(string contextId, long from, long to, CancellationToken cancellationToken = default) =>
        api.SendAsync<LearnedDiffView>(HttpMethod.Get, PathOf.Query(Path(contextId) + "/diff", ("from", from), ("to", to)), cancellationToken);

    private static string Path(string contextId) => $"api/contexts/{PathOf.Id(contextId)}/learned";
}
