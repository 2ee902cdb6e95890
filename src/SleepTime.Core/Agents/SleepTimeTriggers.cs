namespace SleepTime;

/// <summary>When a sleep-time agent runs, besides document ingestion and manual requests (always on).</summary>
/// <param name="EveryTurns">Run after this many user turns since the last attempt; null turns it off.</param>
/// <param name="IdleAfter">Run once the conversation has been quiet this long after a turn; null turns it off.</param>
/// <param name="TranscriptTokens">Run once this many transcript tokens arrived since the last attempt; null turns it off.</param>
public sealed record SleepTimeTriggers(int? EveryTurns = SleepTimeTriggers.DefaultEveryTurns, TimeSpan? IdleAfter = null, int? TranscriptTokens = null)
{
    public const int DefaultEveryTurns = 5;

    public static SleepTimeTriggers Default { get; } = new();

    public void Validate()
    {
        if (EveryTurns is < 1)
        {
            throw new SleepTimeValidationException("everyTurns", "every-N-turns must be at least 1 (or off).");
        }

        if (IdleAfter is { } idle && idle <= TimeSpan.Zero)
        {
            throw new SleepTimeValidationException("idleAfter", "The idle debounce must be positive (or off).");
        }

        if (TranscriptTokens is < 1)
        {
            throw new SleepTimeValidationException("transcriptTokens", "The transcript-volume threshold must be at least 1 token (or off).");
        }
    }
}
