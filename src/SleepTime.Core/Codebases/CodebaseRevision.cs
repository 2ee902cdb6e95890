namespace SleepTime;

/// <summary>Which repository a codebase context reads and at which commit (null: the directory as it is on disk).</summary>
/// <param name="Files">
/// For a directory: what its files were when this revision was recorded, as a change to the directory revision
/// before it (each added or modified file's hash, null for a removed one); the first revision holds every file
/// (<see cref="CodebaseManifest"/>). Null at a commit, and for directory revisions recorded before manifests were.
/// </param>
public sealed record CodebaseRevision(string Path, string? Commit, IReadOnlyDictionary<string, string?>? Files = null);
