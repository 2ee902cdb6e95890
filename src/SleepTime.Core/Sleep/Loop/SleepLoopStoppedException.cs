namespace SleepTime;

/// <summary>Ends a sleep loop from inside the model pipeline: the provider failed, or the token budget ran out.</summary>
internal sealed class SleepLoopStoppedException(SleepFailureReason reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public SleepFailureReason Reason { get; } = reason;
}
