namespace SleepTime;

/// <summary>Primary agents, their sleep-time agents, and each sleep-time agent's committed watermark (moved only by a run's commit, through <see cref="IMemoryWriter"/>).</summary>
public interface IAgentStore
{
    Task<Agent> CreateAgentAsync(string name, string instructions, IReadOnlyList<string> blockIds, CancellationToken cancellationToken = default);

    Task<Agent?> GetAgentAsync(string agentId, CancellationToken cancellationToken = default);

    /// <summary>Attaches a block (by id) to an agent; a block can be attached to several agents.</summary>
    /// <exception cref="AgentNotFoundException">No agent has that id.</exception>
    Task<Agent> AttachBlockAsync(string agentId, string blockId, CancellationToken cancellationToken = default);

    /// <exception cref="AgentNotFoundException">The primary agent does not exist.</exception>
    /// <exception cref="SleepTimeValidationException">The schedule is invalid.</exception>
    Task<SleepTimeAgent> CreateSleepTimeAgentAsync(string primaryAgentId, string name, SchedulePolicy? schedule = null, bool requireReview = false, CostModel? cost = null, CancellationToken cancellationToken = default);

    Task<SleepTimeAgent?> GetSleepTimeAgentAsync(string sleepTimeAgentId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SleepTimeAgent>> ListSleepTimeAgentsAsync(string primaryAgentId, CancellationToken cancellationToken = default);

    Task<SleepTimeWatermark> GetWatermarkAsync(string sleepTimeAgentId, CancellationToken cancellationToken = default);

}
