namespace SleepTime;

public enum SleepTimeTrigger
{
    /// <summary>Every N user turns.</summary>
    Turns,

    /// <summary>The conversation went quiet for the idle debounce.</summary>
    Idle,

    /// <summary>Enough transcript tokens arrived since the last run.</summary>
    TranscriptVolume,

    /// <summary>A document was attached to the agent.</summary>
    Document,

    Manual,

    /// <summary>A retry of a failed run.</summary>
    Retry,
}
