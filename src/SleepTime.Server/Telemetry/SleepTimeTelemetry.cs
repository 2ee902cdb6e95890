using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SleepTime.Server;

/// <summary>Traces and metrics: tokens per phase, run durations and outcomes, the live run queue.</summary>
public sealed class SleepTimeTelemetry : IDisposable
{
    public const string Name = "SleepTime.Server";

    public static readonly ActivitySource Source = new(Name);

    private readonly Meter meter;
    private readonly Counter<long> tokens;
    private readonly Histogram<double> runDuration;
    private readonly Counter<long> runs;
    private readonly Histogram<double> queryLatency;
    private long queueDepth;

    public SleepTimeTelemetry(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(Name);
        tokens = meter.CreateCounter<long>("sleeptime.tokens", "{token}", "Model tokens spent, by phase (sleep, test) and direction (input, output).");
        runDuration = meter.CreateHistogram<double>("sleeptime.run.duration", "s", "Duration of sleep run attempts.");
        runs = meter.CreateCounter<long>("sleeptime.runs", "{run}", "Finished sleep runs by status.");
        queryLatency = meter.CreateHistogram<double>("sleeptime.query.duration", "s", "Duration of answered queries.");
        meter.CreateObservableGauge("sleeptime.runs.queue_depth", () => Volatile.Read(ref queueDepth), "{run}", "Queued and running sleep runs.");
    }

    public void RecordTokens(ComputePhase phase, TokenUsage usage)
    {
        var phaseTag = new KeyValuePair<string, object?>("phase", phase == ComputePhase.Sleep ? "sleep" : "test");
        tokens.Add(usage.InputTokens, phaseTag, new("direction", "input"));
        tokens.Add(usage.OutputTokens, phaseTag, new("direction", "output"));
    }

    public void RecordRun(string status, TimeSpan duration)
    {
        runs.Add(1, new KeyValuePair<string, object?>("status", status));
        runDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status", status));
    }

    public void RecordQuery(TimeSpan duration) => queryLatency.Record(duration.TotalSeconds);

    public void SetQueueDepth(long depth) => Volatile.Write(ref queueDepth, depth);

    public void Dispose() => meter.Dispose();
}
