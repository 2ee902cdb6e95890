using Quartz;

namespace SleepTime.Server;

/// <summary>
/// The Quartz job of one context. <see cref="DisallowConcurrentExecutionAttribute"/> makes it the context's
/// single-flight lock across every node on the same job store.
/// </summary>
[DisallowConcurrentExecution]
public sealed class SleepJob(RunExecutor executor) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var key = context.JobDetail.Key;
        var kind = context.MergedJobDataMap.TryGetValue(SleepScheduler.TriggerKindKey, out var value) ? value as string : null;
        await executor.WorkAsync(key.Group, key.Name, kind, cancellationToken).ConfigureAwait(false);
    }
}
