namespace SleepTime;

public sealed class ContextNotFoundException(string contextId)
    : SleepTimeNotFoundException($"Context '{contextId}' was not found.")
{
    public string ContextId { get; } = contextId;
}
