using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>The memory events of agents (the vocabulary is <see cref="ServerEvent"/>'s), on the agents stream.</summary>
internal static class AgentEvents
{
    /// <summary><c>memory.updated</c> with the block as it is now, to every agent the block is attached to.</summary>
    public static async Task PublishBlockAsync(EventHub hub, SqlBlockStore blocks, string tenantId, string blockId, DateTimeOffset at)
    {
        if (await blocks.GetAsync(blockId).ConfigureAwait(false) is not { } block)
        {
            return;
        }

        foreach (var agentId in await blocks.AgentsUsingAsync(blockId).ConfigureAwait(false))
        {
            hub.Publish(new ServerEvent(ServerEvent.MemoryUpdated, tenantId, agentId,
                new { kind = SleeperKind.Agent, memory_id = agentId, block_id = block.Id, label = block.Label, version = block.Version, updated_by = block.UpdatedBy }, at, EventStream.Agents));
        }
    }

    /// <summary>A run's change set (<c>change_set.created</c>) or a reviewer's decision (<c>change_set.updated</c>), and <c>memory.updated</c> for the blocks it wrote.</summary>
    public static async Task PublishChangeSetAsync(EventHub hub, TenantAgentStores tenant, ChangeSet changeSet, DateTimeOffset at, string type = ServerEvent.ChangeSetUpdated)
    {
        hub.Publish(new ServerEvent(type, tenant.TenantId, changeSet.PrimaryAgentId, ChangeSetView.From(changeSet), at, EventStream.Agents));
        foreach (var change in changeSet.Blocks.Where(b => b.State is BlockChangeState.Applied or BlockChangeState.Rebased or BlockChangeState.Reverted))
        {
            await PublishBlockAsync(hub, tenant.Blocks, tenant.TenantId, change.BlockId, at).ConfigureAwait(false);
        }
    }
}
