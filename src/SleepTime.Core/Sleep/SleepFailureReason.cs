namespace SleepTime;

public enum SleepFailureReason
{
    /// <summary>The model never called <c>rethink_memory</c>, even after reminders.</summary>
    NoToolCalls,

    /// <summary>The model finished without writing usable memory (empty or only invalid attempts).</summary>
    NoMemory,

    /// <summary>The memory stayed over the block limit.</summary>
    OverLimit,

    /// <summary>The model provider failed (after its retries).</summary>
    ProviderError,

    /// <summary>Another sleep committed a newer learned context first.</summary>
    Conflict,
}
