using Microsoft.Extensions.AI;

namespace SleepTime.Agents.Tests.Support;

/// <summary>A primary agent with a "human" block, one sleep-time agent, in-memory stores and a manual clock.</summary>
internal sealed class AgentWorld : IAsyncDisposable
{
    private AgentWorld(ManualTimeProvider time, AgentStores stores, SleepTimeAgentCoordinator coordinator, Agent agent, Block human, SleepTimeAgent sleeper)
    {
        Time = time;
        Stores = stores;
        Coordinator = coordinator;
        Agent = agent;
        Human = human;
        Sleeper = sleeper;
    }

    public ManualTimeProvider Time { get; }

    public AgentStores Stores { get; }

    public SleepTimeAgentCoordinator Coordinator { get; }

    public Agent Agent { get; }

    public Block Human { get; }

    public SleepTimeAgent Sleeper { get; }

    public static async Task<AgentWorld> CreateAsync(
        IChatClient sleepModel,
        string humanValue = "Name: Ada",
        SleepTimeTriggers? triggers = null,
        long? dailyTokenBudget = null,
        bool requireReview = false,
        CostModel? cost = null,
        SleepTimeCoordinatorOptions? options = null)
    {
        var time = new ManualTimeProvider();
        var stores = AgentStores.InMemory(time);
        var human = await stores.Blocks.CreateAsync(new NewBlock("human", humanValue, 500, "Facts about the user"), "user");
        var agent = await stores.Agents.CreateAgentAsync("assistant", "You are a helpful assistant.", [human.Id]);
        var sleeper = await stores.Agents.CreateSleepTimeAgentAsync(agent.Id, "memory", triggers ?? new SleepTimeTriggers(EveryTurns: null), dailyTokenBudget, requireReview, cost);
        var coordinator = new SleepTimeAgentCoordinator(stores, options ?? new SleepTimeCoordinatorOptions { MaxAttempts = 1 }, time);
        coordinator.Register(sleeper.Id, sleepModel);
        coordinator.Start();
        return new AgentWorld(time, stores, coordinator, agent, human, sleeper);
    }

    public PrimaryAgent Primary(IChatClient model, PrimaryAgentOptions? options = null) =>
        new(Agent.Id, model, Stores, (options ?? new PrimaryAgentOptions()) with { TurnObserver = Coordinator, TimeProvider = Time });

    /// <summary>Appends a user/assistant exchange straight to the transcript and reports the turn.</summary>
    public async Task<(AgentMessage User, AgentMessage Assistant)> TalkAsync(string user, string assistant = "Noted.")
    {
        var u = await Stores.Messages.AppendAsync(Agent.Id, ChatRole.User, user, 10);
        var a = await Stores.Messages.AppendAsync(Agent.Id, ChatRole.Assistant, assistant, 5);
        await Coordinator.OnTurnCompletedAsync(Agent.Id, 15);
        return (u, a);
    }

    public async Task<SleepTimeRun> RunNowAsync()
    {
        var run = await Coordinator.RequestRunAsync(Sleeper.Id);
        await Coordinator.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (await Stores.Runs.GetAsync(run.Id))!;
    }

    public async Task<Block> HumanNowAsync() => (await Stores.Blocks.GetAsync(Human.Id))!;

    public Task<IReadOnlyList<SleepTimeRun>> RunsAsync() => Stores.Runs.ListAsync(Sleeper.Id);

    public async ValueTask DisposeAsync() => await Coordinator.DisposeAsync();
}
