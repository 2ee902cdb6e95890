using Quartz;

namespace SleepTime.Server;

/// <summary>
/// The Quartz job of one sleeper (a context's default sleeper or a sleep-time agent).
/// <see cref="DisallowConcurrentExecutionAttribute"/> makes it the sleeper's single-flight lock across every node on
/// the same job store.
/// </summary>
[DisallowConcurrentExecution]
public sealed class SleepJob(RunExecutor executor) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var key = context.JobDetail.Key;
        var (kind, sleeperId) = SleepScheduler.SleeperOf(key);
        var trigger = context.MergedJobDataMap.TryGetValue(SleepScheduler.TriggerKindKey, out var value) ? value as string : null;
        await executor.WorkAsync(key.Group, kind, sleeperId, trigger, cancellationToken).ConfigureAwait(false);
    }
}
