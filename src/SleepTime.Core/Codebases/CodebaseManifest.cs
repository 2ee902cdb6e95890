using System.Security.Cryptography;

namespace SleepTime;

/// <summary>
/// What a directory read as it is on disk holds: each file's path and a hash of its bytes. A directory has no commits,
/// so this is how a codebase context knows which files changed on disk since its learned context was written.
/// </summary>
public sealed class CodebaseManifest
{
    private CodebaseManifest(IReadOnlyDictionary<string, string> files) => Files = files;

    private const string EmptyFile = "empty";
    private const string Unreadable = "unreadable";

    public static CodebaseManifest Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>
    /// Each file's path ('/'-separated, relative to the directory) and the first 16 hex digits of its SHA-256; a file
    /// over <see cref="CodebaseLimits.MaxFileBytes"/> has <c>size:N</c> instead, so only a change of its size is seen; an
    /// empty file has <c>empty</c> and one that cannot be read <c>unreadable</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Files { get; }

    public static CodebaseManifest Of(IEnumerable<KeyValuePair<string, string>> files) =>
        new(new Dictionary<string, string>(files, StringComparer.Ordinal));

    /// <summary>Hashes every file the codebase tools can see (the same list as <c>list_files</c>).</summary>
    public static async Task<CodebaseManifest> ReadAsync(Codebase codebase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codebase);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in await codebase.ListFilesOnDiskAsync(cancellationToken).ConfigureAwait(false))
        {
            if (file.Size == 0)
            {
                // Never opened: an empty file needs no hash, and a FIFO (also of size 0) would block the open.
                files[file.Path] = EmptyFile;
                continue;
            }

            if (file.Size > codebase.Limits.MaxFileBytes)
            {
                // The tools show such a file only as its size, and hashing a large binary every look would cost the most.
                files[file.Path] = "size:" + file.Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
                continue;
            }

            try
            {
                await using var stream = File.OpenRead(Path.Combine(codebase.Root, file.Path));
                files[file.Path] = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false))[..16];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Listed but not readable (locked, no permission, deleted since): a fixed mark, so it is not seen as
                // removed and added again on every look.
                files[file.Path] = Unreadable;
            }
        }

        return new(files);
    }

    /// <summary>The files added, modified and removed since <paramref name="before"/>, by path.</summary>
    public IReadOnlyList<CodebaseChange> ChangesSince(CodebaseManifest before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var changes = new List<CodebaseChange>();
        foreach (var (path, hash) in Files)
        {
            if (!before.Files.TryGetValue(path, out var old))
            {
                changes.Add(new(CodebaseChange.Added, path, string.Empty));
            }
            else if (old != hash)
            {
                changes.Add(new(CodebaseChange.Modified, path, string.Empty));
            }
        }

        changes.AddRange(before.Files.Keys.Where(p => !Files.ContainsKey(p)).Select(p => new CodebaseChange(CodebaseChange.Removed, p, string.Empty)));
        return changes.OrderBy(c => c.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>What to store to go from <paramref name="before"/> to this: each added or modified file's hash, null for a removed one.</summary>
    public IReadOnlyDictionary<string, string?> DeltaFrom(CodebaseManifest before) =>
        ChangesSince(before).ToDictionary(c => c.Path, c => c.Status == CodebaseChange.Removed ? null : Files[c.Path], StringComparer.Ordinal);
}
