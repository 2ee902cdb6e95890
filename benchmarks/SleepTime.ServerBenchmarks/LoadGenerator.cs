using System.Diagnostics;

namespace SleepTime.ServerBenchmarks;

/// <summary>Latency percentiles and throughput of a bounded number of operations run by a fixed number of concurrent clients.</summary>
public sealed record LoadResult(int Clients, int Operations, int Failures, double P50Ms, double P99Ms, double MaxMs, double PerSecond)
{
    public override string ToString() =>
        $"{Clients,3} clients  {Operations,7:N0} ops  p50 {P50Ms,8:F3} ms  p99 {P99Ms,8:F3} ms  max {MaxMs,8:F2} ms  {PerSecond,10:N0} ops/s  failures {Failures}";
}

public static class LoadGenerator
{
    /// <summary>Runs <paramref name="operations"/> calls of <paramref name="operation"/> (given its index) from <paramref name="clients"/> concurrent loops.</summary>
    public static async Task<LoadResult> RunAsync(int clients, int operations, Func<int, Task<bool>> operation)
    {
        var latencies = new long[operations];
        var next = -1;
        var failures = 0;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < operations; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                if (!await operation(i).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref failures);
                }

                latencies[i] = Stopwatch.GetTimestamp() - started;
            }
        })));
        total.Stop();
        Array.Sort(latencies);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        return new LoadResult(clients, operations, failures, Ms(latencies[operations / 2]), Ms(latencies[(int)(operations * 0.99)]), Ms(latencies[^1]), operations / total.Elapsed.TotalSeconds);
    }
}
