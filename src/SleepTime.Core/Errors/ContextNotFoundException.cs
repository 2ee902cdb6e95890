namespace SleepTime;

public sealed class ContextNotFoundException(string contextId)
    : SleepTimeException($"Context '{contextId}' was not found.")
{
    public string ContextId { get; } = contextId;
}
