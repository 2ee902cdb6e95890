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

    public Task<SleepTimeAgent> CreateSleepTimeAgentAsync(string primaryAgentId, string name, SleepTimeTriggers triggers, long? dailyTokenBudget = null, bool requireReview = false, CostModel? cost = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        triggers.Validate();
        if (dailyTokenBudget is < 0)
        {
            throw new SleepTimeValidationException("dailyTokenBudget", "A daily token budget cannot be negative.");
        }

        lock (gate)
        {
            if (!agents.ContainsKey(primaryAgentId))
            {
                throw new AgentNotFoundException(primaryAgentId);
            }

            var agent = new SleepTimeAgent(Ids.New("sleeper"), primaryAgentId, string.IsNullOrWhiteSpace(name) ? "sleep-time" : name, triggers, dailyTokenBudget, requireReview, cost, time.GetUtcNow());
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

    public Task<bool> TryAdvanceWatermarkAsync(string sleepTimeAgentId, SleepTimeWatermark expected, SleepTimeWatermark next, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!watermarks.TryGetValue(sleepTimeAgentId, out var current))
            {
                throw new AgentNotFoundException(sleepTimeAgentId);
            }

            if (current != expected)
            {
                return Task.FromResult(false);
            }

            watermarks[sleepTimeAgentId] = next;
            return Task.FromResult(true);
        }
    }
}
