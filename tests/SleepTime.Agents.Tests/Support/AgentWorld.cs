using Microsoft.Extensions.AI;

namespace SleepTime.Agents.Tests.Support;

/// <summary>A primary agent with a "human" block, one sleep-time agent, in-memory stores, the in-process scheduler and a manual clock.</summary>
internal sealed class AgentWorld : IAsyncDisposable
{
    private AgentWorld(ManualTimeProvider time, AgentStores stores, InProcessSleepScheduler scheduler, Agent agent, Block human, SleepTimeAgent sleeper)
    {
        Time = time;
        Stores = stores;
        Scheduler = scheduler;
        Agent = agent;
        Human = human;
        Sleeper = sleeper;
    }

    public ManualTimeProvider Time { get; }

    public AgentStores Stores { get; }

    public InProcessSleepScheduler Scheduler { get; }

    public Agent Agent { get; }

    public Block Human { get; }

    public SleepTimeAgent Sleeper { get; }

    public static async Task<AgentWorld> CreateAsync(
        IChatClient sleepModel,
        string humanValue = "Name: Ada",
        SchedulePolicy? schedule = null,
        bool requireReview = false,
        CostModel? cost = null,
        InProcessSchedulerOptions? options = null)
    {
        var time = new ManualTimeProvider();
        var stores = AgentStores.InMemory(time);
        var human = await stores.Blocks.CreateAsync(new NewBlock("human", humanValue, 500, "Facts about the user"), "user");
        var agent = await stores.Agents.CreateAgentAsync("assistant", "You are a helpful assistant.", [human.Id]);
        var sleeper = await stores.Agents.CreateSleepTimeAgentAsync(agent.Id, "memory", schedule ?? SchedulePolicy.AgentDefault with { EveryTurns = 0 }, requireReview, cost);
        var scheduler = new InProcessSleepScheduler(stores, options ?? new InProcessSchedulerOptions { MaxAttempts = 1 }, time);
        scheduler.Register(sleeper.Id, sleepModel);
        return new AgentWorld(time, stores, scheduler, agent, human, sleeper);
    }

    public PrimaryAgent Primary(IChatClient model, PrimaryAgentOptions? options = null) =>
        new(Agent.Id, model, Stores, (options ?? new PrimaryAgentOptions()) with { Scheduler = Scheduler, TimeProvider = Time });

    /// <summary>Appends a user/assistant exchange straight to the transcript and reports the turn.</summary>
    public async Task<(AgentMessage User, AgentMessage Assistant)> TalkAsync(string user, string assistant = "Noted.")
    {
        var u = await Stores.Messages.AppendAsync(Agent.Id, ChatRole.User, user, 10);
        var a = await Stores.Messages.AppendAsync(Agent.Id, ChatRole.Assistant, assistant, 5);
        await Scheduler.OnSourcesChangedAsync(SleeperKind.Agent, Agent.Id);
        return (u, a);
    }

    public async Task<RunRecord> RunNowAsync()
    {
        var run = await Scheduler.TriggerAsync(SleeperKind.Agent, Sleeper.Id);
        await Scheduler.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return Scheduler.Runs(Sleeper.Id).Single(r => r.Id == run.Id);
    }

    public async Task<Block> HumanNowAsync() => (await Stores.Blocks.GetAsync(Human.Id))!;

    public IReadOnlyList<RunRecord> Runs() => Scheduler.Runs(Sleeper.Id);

    public async ValueTask DisposeAsync() => await Scheduler.DisposeAsync();
}
