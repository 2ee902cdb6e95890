using SleepTime.Client.Http;
using SleepTime.Server;

namespace SleepTime.Client.Runs;

/// <summary>Sleep runs, contexts' and sleep-time agents' alike: trigger, list, get, cancel, wait.</summary>
public sealed class RunsClient
{
    private readonly ApiConnection api;

    internal RunsClient(ApiConnection api) => this.api = api;

    /// <summary>Queues a sleep of the context now (or joins its queued run).</summary>
    public Task<RunView> TriggerAsync(string contextId, CancellationToken cancellationToken = default) =>
        api.SendAsync<RunView>(HttpMethod.Post, $"api/contexts/{PathOf.Id(contextId)}/runs", cancellationToken);

    /// <summary>Queues a run of a sleep-time agent now.</summary>
    public Task<RunView> TriggerSleepTimeAgentAsync(string sleepTimeAgentId, CancellationToken cancellationToken = default) =>
        api.SendAsync<RunView>(HttpMethod.Post, $"api/sleeptime-agents/{PathOf.Id(sleepTimeAgentId)}/runs", cancellationToken);

    /// <summary>The tenant's runs, newest first; <paramref name="kind"/> <c>context</c> or <c>agent</c>, <paramref name="status"/> one run status.</summary>
    public Task<List<RunView>> ListAsync(string? kind = null, string? status = null, int? limit = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<RunView>>(HttpMethod.Get, PathOf.Query("api/runs", ("kind", kind), ("status", status), ("limit", limit)), cancellationToken);

    /// <summary>One context's runs, newest first.</summary>
    public Task<List<RunView>> ListForContextAsync(string contextId, string? status = null, int? limit = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<RunView>>(HttpMethod.Get, PathOf.Query($"api/contexts/{PathOf.Id(contextId)}/runs", ("status", status), ("limit", limit)), cancellationToken);

    /// <summary>The runs of a primary agent's sleep-time agents (or of one of them).</summary>
    public Task<List<RunView>> ListForAgentAsync(string agentId, string? status = null, string? sleepTimeAgentId = null, int? limit = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<RunView>>(HttpMethod.Get, PathOf.Query($"api/agents/{PathOf.Id(agentId)}/sleeptime-runs", ("status", status), ("sleeptimeAgentId", sleepTimeAgentId), ("limit", limit)), cancellationToken);

    public Task<RunView> GetAsync(string runId, CancellationToken cancellationToken = default) =>
        api.SendAsync<RunView>(HttpMethod.Get, $"api/runs/{PathOf.Id(runId)}", cancellationToken);

    /// <summary>Cancels a queued or running run; a 409 when it has already finished.</summary>
    public Task<RunView> CancelAsync(string runId, CancellationToken cancellationToken = default) =>
        api.SendAsync<RunView>(HttpMethod.Post, $"api/runs/{PathOf.Id(runId)}/cancel", cancellationToken);

    /// <summary>Polls the run until it is final (succeeded, failed, cancelled or skipped) and returns it.</summary>
    public async Task<RunView> WaitAsync(string runId, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(200);
        while (true)
        {
            var run = await GetAsync(runId, cancellationToken).ConfigureAwait(false);
            if (run.Status is not (RunStatus.Queued or RunStatus.Running))
            {
                return run;
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
