namespace SleepTime;

/// <summary>Which repository a codebase context reads and at which commit (null: the directory as it is on disk).</summary>
public sealed record CodebaseRevision(string Path, string? Commit);
