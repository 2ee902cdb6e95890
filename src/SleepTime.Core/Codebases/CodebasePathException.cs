namespace SleepTime;

/// <summary>A path a tool was given is not inside the repository (<c>..</c>, an absolute path, a symlink that points out) or does not exist.</summary>
public sealed class CodebasePathException(string message) : SleepTimeException(message);
