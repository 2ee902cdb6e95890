using System.Threading.Channels;
using Quartz;

namespace SleepTime.Server;

/// <summary>
/// Stores Quartz triggers in batches. Quartz's job store takes one lock per operation (on SQLite, every operation is
/// serialized), so in a burst of changes arming each context's trigger on its own is the bottleneck. Requests that
/// queue up while one batch is being stored go together into the next, as one <c>ScheduleJobs</c> call; the latest
/// request per trigger wins, as it would have one after the other. Nothing is lost if the process dies before a
/// batch is stored: the run it arms is already durable in SleepTime's run table, and live runs are re-armed at start.
/// </summary>
public sealed class TriggerArmer : IAsyncDisposable
{
    private const int MaxBatch = 500;
    private readonly Channel<Request> queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> pump;

    public TriggerArmer(ISchedulerFactory schedulerFactory)
    {
        pump = new(() => Task.Run(() => new BatchPump(schedulerFactory, queue.Reader).RunAsync()));
    }

    public Task ArmAsync(IJobDetail job, ITrigger trigger, CancellationToken cancellationToken = default)
    {
        var request = new Request(job, trigger, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(TriggerArmer), "The scheduler is shutting down.");
        }

        _ = pump.Value;
        return request.Stored.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        if (pump.IsValueCreated)
        {
            await pump.Value.ConfigureAwait(false);
        }
    }

    private sealed record Request(IJobDetail Job, ITrigger Trigger, TaskCompletionSource Stored);

    private sealed class BatchPump(ISchedulerFactory schedulerFactory, ChannelReader<Request> reader)
    {
        public async Task RunAsync()
        {
            var batch = new List<Request>(MaxBatch);
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var request))
                {
                    batch.Add(request);
                }

                await StoreAsync(batch).ConfigureAwait(false);
            }
        }

        private async Task StoreAsync(List<Request> batch)
        {
            try
            {
                var scheduler = await schedulerFactory.GetScheduler().ConfigureAwait(false);
                try
                {
                    await scheduler.ScheduleJobs(Group(batch), ScheduleJobOptions.Replacing).ConfigureAwait(false);
                    batch.ForEach(r => r.Stored.TrySetResult());
                }
                catch (SchedulerException) when (batch.Count > 1)
                {
                    // One bad request must not fail the others: store them one by one, each failing alone.
                    foreach (var request in batch)
                    {
                        await StoreOneAsync(scheduler, request).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex)
            {
                batch.ForEach(r => r.Stored.TrySetException(ex));
            }
        }

        private static async Task StoreOneAsync(IScheduler scheduler, Request request)
        {
            try
            {
                await scheduler.ScheduleJob(request.Job, [request.Trigger], ScheduleJobOptions.Replacing).ConfigureAwait(false);
                request.Stored.TrySetResult();
            }
            catch (Exception ex)
            {
                request.Stored.TrySetException(ex);
            }
        }

        private static Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>> Group(List<Request> batch)
        {
            var latestPerTrigger = new Dictionary<TriggerKey, Request>();
            foreach (var request in batch)
            {
                latestPerTrigger[request.Trigger.Key] = request;
            }

            return latestPerTrigger.Values
                .GroupBy(r => r.Job.Key)
                .ToDictionary(g => g.Last().Job, g => (IReadOnlyCollection<ITrigger>)g.Select(r => r.Trigger).ToList());
        }
    }
}
