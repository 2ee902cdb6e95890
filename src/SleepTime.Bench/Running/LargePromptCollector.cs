namespace SleepTime.Bench.Running;

/// <summary>
/// Collects garbage after every so many characters of context have gone into prompts. Each call on a 100k-token
/// context leaves several megabyte-sized strings on the large object heap (the prompt as the engine renders it),
/// which is only reclaimed by a full collection that the runtime, left alone, starts late: on a LongMemEval-sized
/// run that doubled the peak memory. A full, non-compacting collection is cheap here (few, large objects).
/// </summary>
internal sealed class LargePromptCollector(long charactersBetweenCollections = LargePromptCollector.DefaultBudget)
{
    /// <summary>64 million characters: a few hundred megabytes of prompt strings between collections.</summary>
    public const long DefaultBudget = 64L * 1024 * 1024;

    private long sinceLast;

    public void Sent(int characters)
    {
        if (characters < 85_000)
        {
            return;   // Below the large object threshold: ordinary collections take care of it.
        }

        if (Interlocked.Add(ref sinceLast, characters) >= charactersBetweenCollections)
        {
            Interlocked.Exchange(ref sinceLast, 0);
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        }
    }
}
