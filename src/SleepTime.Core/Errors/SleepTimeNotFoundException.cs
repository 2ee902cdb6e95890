namespace SleepTime;

/// <summary>Something a request names does not exist (for the caller): a context, an agent, a block, a run.</summary>
public class SleepTimeNotFoundException(string message) : SleepTimeException(message);
