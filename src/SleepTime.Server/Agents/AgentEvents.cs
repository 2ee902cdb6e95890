using SleepTime.Agents;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>Event names of the agents API's SSE stream (<c>/api/agents/{id}/events</c>); events carry the primary agent id as their context.</summary>
public static class AgentEvents
{
    public const string RunQueued = "sleeptime_run.queued";
    public const string RunUpdated = "sleeptime_run.updated";
    public const string RunStarted = "sleeptime_run.started";
    public const string RunSucceeded = "sleeptime_run.succeeded";
    public const string RunFailed = "sleeptime_run.failed";
    public const string RunSkipped = "sleeptime_run.skipped";
    public const string BlockUpdated = "block.updated";

    public static string Of(SleepTimeRunStatus status) => status switch
    {
        SleepTimeRunStatus.Running => RunStarted,
        SleepTimeRunStatus.Succeeded => RunSucceeded,
        SleepTimeRunStatus.Failed => RunFailed,
        SleepTimeRunStatus.Skipped => RunSkipped,
        _ => RunUpdated,
    };
}

/// <summary>Publishes every stored run state change to the <see cref="EventHub"/>.</summary>
internal sealed class EventingRunStore(ISleepTimeRunStore inner, string tenantId, EventHub hub, TimeProvider time) : ISleepTimeRunStore
{
    public async Task AddAsync(SleepTimeRun run, CancellationToken cancellationToken = default)
    {
        await inner.AddAsync(run, cancellationToken).ConfigureAwait(false);
        hub.Publish(new ServerEvent(AgentEvents.RunQueued, tenantId, run.PrimaryAgentId, run, time.GetUtcNow(), EventStream.Agents));
    }

    public async Task UpdateAsync(SleepTimeRun run, CancellationToken cancellationToken = default)
    {
        await inner.UpdateAsync(run, cancellationToken).ConfigureAwait(false);
        hub.Publish(new ServerEvent(AgentEvents.Of(run.Status), tenantId, run.PrimaryAgentId, run, time.GetUtcNow(), EventStream.Agents));
    }

    public Task<SleepTimeRun?> GetAsync(string runId, CancellationToken cancellationToken = default) => inner.GetAsync(runId, cancellationToken);

    public Task<IReadOnlyList<SleepTimeRun>> ListAsync(string? sleepTimeAgentId = null, SleepTimeRunStatus? status = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(sleepTimeAgentId, status, cancellationToken);

    public Task<long> TokensUsedSinceAsync(string sleepTimeAgentId, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        inner.TokensUsedSinceAsync(sleepTimeAgentId, since, cancellationToken);
}

/// <summary>Publishes every successful block write to each agent the block is attached to.</summary>
internal sealed class EventingBlockStore(SqlBlockStore inner, string tenantId, EventHub hub, TimeProvider time) : IBlockStore
{
    public Task<Block> CreateAsync(NewBlock block, string author, CancellationToken cancellationToken = default) => inner.CreateAsync(block, author, cancellationToken);

    public Task<Block?> GetAsync(string blockId, CancellationToken cancellationToken = default) => inner.GetAsync(blockId, cancellationToken);

    public async Task<BlockUpdateResult> TryUpdateAsync(string blockId, long expectedVersion, string newValue, string author, CancellationToken cancellationToken = default)
    {
        var result = await inner.TryUpdateAsync(blockId, expectedVersion, newValue, author, cancellationToken).ConfigureAwait(false);
        if (result.Updated)
        {
            foreach (var agentId in await inner.AgentsUsingAsync(blockId, cancellationToken).ConfigureAwait(false))
            {
                hub.Publish(new ServerEvent(AgentEvents.BlockUpdated, tenantId, agentId, result.Current, time.GetUtcNow(), EventStream.Agents));
            }
        }

        return result;
    }
}
