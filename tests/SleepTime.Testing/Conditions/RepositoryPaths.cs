namespace SleepTime.Testing.Conditions;

/// <summary>
/// Where things are relative to the repository: its root (the folder holding <c>SleepTime.slnx</c>) and the
/// <c>shared</c> folder beside it (<c>../shared</c>), which holds material that is never committed (models, tools, data).
/// </summary>
/// <remarks>
/// A fresh clone has no <c>../shared</c>; tests that need something from it must skip with a visible reason (see
/// <see cref="LlamaServerFactAttribute"/>) rather than fail.
/// </remarks>
public static class RepositoryPaths
{
    /// <summary>The file that marks the repository root.</summary>
    public const string SolutionFileName = "SleepTime.slnx";

    private static readonly Lazy<string?> LazyRoot = new(() => FindRoot(AppContext.BaseDirectory));

    /// <summary>The repository root, or <see langword="null"/> when the tests run outside a checkout.</summary>
    public static string? TryRoot => LazyRoot.Value;

    /// <summary>The repository root.</summary>
    /// <exception cref="DirectoryNotFoundException">No folder above the test binaries holds <c>SleepTime.slnx</c>.</exception>
    public static string Root => TryRoot ?? throw new DirectoryNotFoundException(
        $"No folder above {AppContext.BaseDirectory} contains {SolutionFileName}; the tests are not running inside a checkout.");

    /// <summary>The <c>shared</c> folder beside the repository (<c>&lt;root&gt;/../shared</c>), or <see langword="null"/> when absent.</summary>
    public static string? TrySharedFolder
    {
        get
        {
            if (TryRoot is not { } root)
            {
                return null;
            }

            var shared = Path.GetFullPath(Path.Combine(root, "..", "shared"));
            return Directory.Exists(shared) ? shared : null;
        }
    }

    /// <summary>
    /// The full path of <paramref name="relativePath"/> inside the shared folder (e.g.
    /// <c>models/stories260K/stories260K.gguf</c>), or <see langword="null"/> when the file or folder does not exist.
    /// </summary>
    public static string? TryShared(string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        if (TrySharedFolder is not { } shared)
        {
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(shared, relativePath));
        return File.Exists(path) || Directory.Exists(path) ? path : null;
    }

    /// <summary>Walks up from <paramref name="start"/> to the first folder containing <c>SleepTime.slnx</c>.</summary>
    public static string? FindRoot(string start)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(start);
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFileName)))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
