namespace SleepTime;

/// <summary>The stores of agents' memory and sources, so a server can swap all of them for database ones in one place.</summary>
public sealed record AgentStores(
    IBlockStore Blocks,
    IAgentStore Agents,
    IMessageStore Messages,
    IDocumentStore Documents,
    IChangeSetStore ChangeSets,
    IArchivalStore Archival,
    IMemoryStore Memory)
{
    public static AgentStores InMemory(TimeProvider? timeProvider = null)
    {
        var blocks = new InMemoryBlockStore(timeProvider);
        var agents = new InMemoryAgentStore(timeProvider);
        var changeSets = new InMemoryChangeSetStore();
        return new(blocks, agents, new InMemoryMessageStore(timeProvider), new InMemoryDocumentStore(timeProvider), changeSets, new InMemoryArchivalStore(),
            new InMemoryMemoryStore(blocks, changeSets, agents));
    }
}
