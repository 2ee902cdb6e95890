using Microsoft.Extensions.AI;

namespace SleepTime.Agents.Tests.Support;

/// <summary>
/// A primary agent with a "human" block, one sleep-time agent, in-memory stores, the library's in-process scheduler
/// and a manual clock.
/// </summary>
internal sealed class AgentWorld : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private AgentWorld(ManualTimeProvider time, AgentStores stores, InProcessSleepScheduler scheduler, Agent agent, Block human, SleepTimeAgent sleeper)
    {
        Time = time;
        Stores = stores;
        Scheduler = scheduler;
        Agent = agent;
        Human = human;
        Sleeper = sleeper;
        ChangeSets = new ChangeSetCommitter(stores.Memory, time);
    }

    /// <summary>A schedule with every automatic trigger off: the sleeper runs only when asked (and for documents).</summary>
    public static SchedulePolicy ManualOnly { get; } = new() { OnChange = false };

    public ManualTimeProvider Time { get; }

    public AgentStores Stores { get; }

    public InProcessSleepScheduler Scheduler { get; }

    /// <summary>Commit, review and revert of change sets, each one unit of memory writes.</summary>
    public ChangeSetCommitter ChangeSets { get; }

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
        var sleeper = await stores.Agents.CreateSleepTimeAgentAsync(agent.Id, "memory", schedule ?? ManualOnly, requireReview, cost);
        var scheduler = new InProcessSleepScheduler(stores, options ?? new InProcessSchedulerOptions { MaxAttempts = 1 }, time);
        scheduler.Register(sleeper.Id, sleepModel);
        return new AgentWorld(time, stores, scheduler, agent, human, sleeper);
    }

    public PrimaryAgent Primary(IChatClient model, PrimaryAgentOptions? options = null) =>
        new(Agent.Id, model, Stores, (options ?? new PrimaryAgentOptions()) with { Scheduler = Scheduler, TimeProvider = Time });

    /// <summary>Appends a user/assistant exchange (10 + 5 tokens) straight to the transcript and tells the scheduler.</summary>
    public async Task<(AgentMessage User, AgentMessage Assistant)> TalkAsync(string user, string assistant = "Noted.")
    {
        var u = await Stores.Messages.AppendAsync(Agent.Id, ChatRole.User, user, 10);
        var a = await Stores.Messages.AppendAsync(Agent.Id, ChatRole.Assistant, assistant, 5);
        await Scheduler.OnSourcesChangedAsync(SleeperKind.Agent, Agent.Id);
        return (u, a);
    }

    /// <summary>Adds a document to the primary agent, in parts as the server stores long ones, and tells the scheduler.</summary>
    public async Task<IReadOnlyList<AgentDocument>> AddDocumentAsync(string title, string text, int partCharacters = 12_000)
    {
        var parts = DocumentChunker.Split(text, partCharacters);
        var documents = new List<AgentDocument>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            documents.Add(await Stores.Documents.AddAsync(Agent.Id, parts.Count == 1 ? title : $"{title} (part {i + 1} of {parts.Count})", parts[i]));
        }

        await Scheduler.OnSourcesChangedAsync(SleeperKind.Agent, Agent.Id);
        return documents;
    }

    /// <summary>Asks for a run, waits until the scheduler is idle, and returns the run as it ended.</summary>
    public async Task<RunRecord> RunNowAsync()
    {
        var run = await Scheduler.TriggerAsync(SleeperKind.Agent, Sleeper.Id);
        await IdleAsync();
        return Run(run.Id);
    }

    public Task IdleAsync() => Scheduler.WhenIdleAsync().WaitAsync(Patience);

    /// <summary>The sleeper's runs, newest first.</summary>
    public IReadOnlyList<RunRecord> Runs() => Scheduler.Runs(Sleeper.Id);

    public RunRecord Run(string runId) => Scheduler.Runs().Single(r => r.Id == runId);

    public async Task<Block> HumanNowAsync() => (await Stores.Blocks.GetAsync(Human.Id))!;

    public Task<SleepTimeWatermark> WatermarkAsync() => Stores.Agents.GetWatermarkAsync(Sleeper.Id);

    /// <summary>Waits (on the real clock, a bounded time) until background work reached a state the test needs next.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting until {what}.");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Waits until a timer is armed to fire at <paramref name="at"/> (e.g. a retry's backoff), so advancing the clock fires it.</summary>
    public Task TimerArmedAsync(DateTimeOffset at) => UntilAsync(() => Time.DueTimes.Contains(at), $"a timer is due at {at:O}");

    public async ValueTask DisposeAsync() => await Scheduler.DisposeAsync();
}
