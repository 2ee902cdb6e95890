namespace SleepTime;

public sealed class InMemoryAgentStore(TimeProvider? timeProvider = null) : IAgentStore
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Agent> agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SleepTimeAgent> sleepTimeAgents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SleepTimeWatermark> watermarks = new(StringComparer.Ordinal);

    public Task<Agent> CreateAgentAsync(string name, string instructions, IReadOnlyList<string> blockIds, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new SleepTimeValidationException("name", "An agent needs a name.");
        }

        var agent = new Agent(Ids.New("agent"), name, instructions ?? string.Empty, blockIds.Distinct(StringComparer.Ordinal).ToList(), time.GetUtcNow());
        lock (gate)
        {
            agents.Add(agent.Id, agent);
        }

        return Task.FromResult(agent);
    }

    public Task<Agent?> GetAgentAsync(string agentId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(agents.GetValueOrDefault(agentId));
        }
    }

    public Task<Agent> AttachBlockAsync(string agentId, string blockId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var agent = agents.GetValueOrDefault(agentId) ?? throw new AgentNotFoundException(agentId);
            if (!agent.BlockIds.Contains(blockId, StringComparer.Ordinal))
            {
                agent = agent with { BlockIds = [.. agent.BlockIds, blockId] };
                agents[agentId] = agent;
            }

            return Task.FromResult(agent);
        }
    }

    public Task<SleepTimeAgent> CreateSleepTimeAgentAsync(string primaryAgentId, string name, SchedulePolicy? schedule = null, bool requireReview = false, CostModel? cost = null, CancellationToken cancellationToken = default)
    {
        schedule ??= SchedulePolicy.AgentDefault;
        schedule.Validate();

        lock (gate)
        {
            if (!agents.ContainsKey(primaryAgentId))
            {
                throw new AgentNotFoundException(primaryAgentId);
            }

            var agent = new SleepTimeAgent(Ids.New("sleeper"), primaryAgentId, string.IsNullOrWhiteSpace(name) ? "sleep-time" : name, schedule, requireReview, cost, time.GetUtcNow());
            sleepTimeAgents.Add(agent.Id, agent);
            watermarks.Add(agent.Id, SleepTimeWatermark.Start);
            return Task.FromResult(agent);
        }
    }

    public Task<SleepTimeAgent?> GetSleepTimeAgentAsync(string sleepTimeAgentId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(sleepTimeAgents.GetValueOrDefault(sleepTimeAgentId));
        }
    }

    public Task<IReadOnlyList<SleepTimeAgent>> ListSleepTimeAgentsAsync(string primaryAgentId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<SleepTimeAgent> list = sleepTimeAgents.Values.Where(a => a.PrimaryAgentId == primaryAgentId).OrderBy(a => a.CreatedAt).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<SleepTimeWatermark> GetWatermarkAsync(string sleepTimeAgentId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(watermarks.TryGetValue(sleepTimeAgentId, out var mark) ? mark : throw new AgentNotFoundException(sleepTimeAgentId));
        }
    }

    /// <summary>Moves a watermark as a memory unit's commit did (<see cref="InMemoryMemoryStore"/>).</summary>
    internal void PutWatermark(string sleepTimeAgentId, SleepTimeWatermark next)
    {
        lock (gate)
        {
            watermarks[sleepTimeAgentId] = next;
        }
    }
}
