namespace SleepTime;

public sealed class InMemorySleepTimeRunStore : ISleepTimeRunStore
{
    private readonly Lock gate = new();
    private readonly List<SleepTimeRun> runs = [];

    public Task AddAsync(SleepTimeRun run, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            runs.Add(run);
        }

        return Task.CompletedTask;
    }

    public Task UpdateAsync(SleepTimeRun run, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var index = runs.FindIndex(r => r.Id == run.Id);
            if (index < 0)
            {
                throw new SleepTimeNotFoundException($"Run '{run.Id}' was not found.");
            }

            runs[index] = run;
        }

        return Task.CompletedTask;
    }

    public Task<SleepTimeRun?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(runs.FirstOrDefault(r => r.Id == runId));
        }
    }

    public Task<IReadOnlyList<SleepTimeRun>> ListAsync(string? sleepTimeAgentId = null, SleepTimeRunStatus? status = null, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<SleepTimeRun> list = runs
                .Where(r => (sleepTimeAgentId is null || r.SleepTimeAgentId == sleepTimeAgentId) && (status is null || r.Status == status))
                .Reverse()
                .ToList();
            return Task.FromResult(list);
        }
    }

    public Task<long> TokensUsedSinceAsync(string sleepTimeAgentId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(runs
                .Where(r => r.SleepTimeAgentId == sleepTimeAgentId && r.StartedAt >= since)
                .Sum(r => r.Usage.TotalTokens));
        }
    }
}
