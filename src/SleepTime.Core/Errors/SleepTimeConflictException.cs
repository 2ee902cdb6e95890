namespace SleepTime;

/// <summary>A request that is valid but does not fit the current state, e.g. approving a change set twice.</summary>
public class SleepTimeConflictException(string message) : SleepTimeException(message);
