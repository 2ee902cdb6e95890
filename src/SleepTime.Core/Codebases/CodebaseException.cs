namespace SleepTime;

/// <summary>A codebase cannot be read: the repository or the commit is missing, or git failed. The message says which.</summary>
public sealed class CodebaseException(string message) : SleepTimeException(message);
