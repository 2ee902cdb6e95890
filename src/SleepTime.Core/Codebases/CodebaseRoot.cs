namespace SleepTime;

/// <summary>
/// Where codebase paths may point. Unrestricted (the library: any path the caller names), or under one root folder
/// (the server: a tenant names a path relative to <c>Codebases:Root</c> and can never reach outside it, by <c>..</c>,
/// an absolute path or a symlink).
/// </summary>
public sealed class CodebaseRoot
{
    private CodebaseRoot(string? root, CodebaseLimits limits)
    {
        Root = root;
        Limits = limits;
    }

    /// <summary>The folder every path is inside, as a full path with symlinks resolved; null when unrestricted.</summary>
    public string? Root { get; }

    public CodebaseLimits Limits { get; }

    public static CodebaseRoot Anywhere(CodebaseLimits? limits = null) => new(null, limits ?? CodebaseLimits.Default);

    public static CodebaseRoot Under(string root, CodebaseLimits? limits = null)
    {
        if (string.IsNullOrWhiteSpace(root) || !Directory.Exists(root))
        {
            throw new CodebaseException($"The codebase root '{root}' does not exist.");
        }

        return new(RealPath(Path.GetFullPath(root)), limits ?? CodebaseLimits.Default);
    }

    /// <summary>The full path of <paramref name="path"/>, or a <see cref="CodebasePathException"/> when it is outside the root.</summary>
    public string Resolve(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CodebasePathException("The codebase path is empty.");
        }

        if (Root is null)
        {
            return Path.GetFullPath(path);
        }

        if (Path.IsPathRooted(path) || path.StartsWith('~') || path.Replace('\\', '/').Split('/').Contains(".."))
        {
            throw new CodebasePathException($"'{path}' must be a path relative to the codebase root, without '..'.");
        }

        var full = RealPath(Path.GetFullPath(Path.Combine(Root, path)));
        return full == Root || full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new CodebasePathException($"'{path}' points outside the codebase root.");
    }

    public Task<Codebase> OpenAsync(CodebaseRevision revision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return Codebase.OpenAsync(Resolve(revision.Path), revision.Commit, Limits, cancellationToken);
    }

    /// <summary>The path with every symlink along it resolved, so that a link inside the root that points out is seen for what it is.</summary>
    private static string RealPath(string full)
    {
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var segment in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            current = info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next : next;
        }

        return Path.TrimEndingDirectorySeparator(current);
    }
}
