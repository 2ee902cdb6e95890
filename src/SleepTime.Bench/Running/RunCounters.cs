namespace SleepTime.Bench.Running;

/// <summary>Live counters of a run, updated by the runner from many threads and read by the progress display.</summary>
public sealed class RunCounters
{
    private long answersDone;
    private long sleepsDone;
    private long failures;
    private long excluded;
    private long inputTokens;
    private long outputTokens;

    public int AnswersPlanned { get; internal set; }

    public int SleepsPlanned { get; internal set; }

    public int AnswersReused { get; internal set; }

    public int SleepsReused { get; internal set; }

    public long AnswersDone => Interlocked.Read(ref answersDone);

    public long SleepsDone => Interlocked.Read(ref sleepsDone);

    public long Failures => Interlocked.Read(ref failures);

    /// <summary>Sleep-time answers left out because their context's sleep failed.</summary>
    public long Excluded => Interlocked.Read(ref excluded);

    public long InputTokens => Interlocked.Read(ref inputTokens);

    public long OutputTokens => Interlocked.Read(ref outputTokens);

    internal void AnswerDone(TokenUsage usage, bool failed)
    {
        Interlocked.Increment(ref answersDone);
        Add(usage, failed);
    }

    internal void AnswerExcluded() => Interlocked.Increment(ref excluded);

    internal void SleepDone(TokenUsage usage, bool failed)
    {
        Interlocked.Increment(ref sleepsDone);
        Add(usage, failed);
    }

    private void Add(TokenUsage usage, bool failed)
    {
        Interlocked.Add(ref inputTokens, usage.InputTokens);
        Interlocked.Add(ref outputTokens, usage.OutputTokens);
        if (failed)
        {
            Interlocked.Increment(ref failures);
        }
    }
}
