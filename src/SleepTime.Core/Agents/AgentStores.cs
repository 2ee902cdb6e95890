namespace SleepTime;

/// <summary>The stores the agents layer needs, so a server can swap all of them for database ones in one place.</summary>
public sealed record AgentStores(
    IBlockStore Blocks,
    IAgentStore Agents,
    IMessageStore Messages,
    IDocumentStore Documents,
    ISleepTimeRunStore Runs,
    IChangeSetStore ChangeSets,
    IArchivalStore Archival)
{
    public static AgentStores InMemory(TimeProvider? timeProvider = null) => new(
        new InMemoryBlockStore(timeProvider),
        new InMemoryAgentStore(timeProvider),
        new InMemoryMessageStore(timeProvider),
        new InMemoryDocumentStore(timeProvider),
        new InMemorySleepTimeRunStore(),
        new InMemoryChangeSetStore(),
        new InMemoryArchivalStore());
}
