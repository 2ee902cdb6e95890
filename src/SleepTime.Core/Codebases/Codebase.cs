using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace SleepTime;

/// <summary>
/// A repository read-only: a git repository at one commit (read through <c>git ls-tree</c>, <c>cat-file</c>,
/// <c>grep</c>, <c>log</c>, <c>show</c> and <c>diff</c>, never a checkout), or a plain directory as it is on disk.
/// Every path is repository-relative; <c>..</c>, absolute paths, <c>.git</c> and symlinks that resolve outside the
/// repository are refused with a <see cref="CodebasePathException"/>.
/// </summary>
public sealed partial class Codebase
{
    private const string SymlinkMode = "120000";
    private readonly GitCli git;
    private readonly ConcurrentQueue<CodebaseAccess> accesses = new();
    private readonly Lazy<Task<GitTree>>? tree;

    private Codebase(string root, string? commit, bool isRepository, CodebaseLimits limits)
    {
        Root = root;
        Commit = commit;
        IsRepository = isRepository;
        Limits = limits;
        git = new GitCli(root);
        tree = commit is null ? null : new(() => GitTree.LoadAsync(git, commit));
    }

    /// <summary>The repository's directory, as a full path with symlinks resolved.</summary>
    public string Root { get; }

    /// <summary>The full commit id read, or null when the directory is read as it is on disk.</summary>
    public string? Commit { get; }

    /// <summary>True when <see cref="Root"/> is a git repository (so log and show work, also for a directory read from disk).</summary>
    public bool IsRepository { get; }

    public CodebaseLimits Limits { get; }

    /// <summary>Every read so far, in order: what a test checks to know what a sleep looked at.</summary>
    public IReadOnlyList<CodebaseAccess> Accesses => accesses.ToList();

    /// <summary>
    /// Opens <paramref name="path"/> at <paramref name="commit"/> (any name git resolves to a commit: a full or short id,
    /// a branch, <c>HEAD</c>), or as a directory on disk when <paramref name="commit"/> is null.
    /// </summary>
    public static async Task<Codebase> OpenAsync(string path, string? commit = null, CodebaseLimits? limits = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(path) || !Directory.Exists(path))
        {
            throw new CodebaseException($"The repository '{path}' does not exist or is not a directory.");
        }

        var info = new DirectoryInfo(Path.GetFullPath(path));
        var root = Path.TrimEndingDirectorySeparator(info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName);
        var cli = new GitCli(root);
        var top = await cli.RunAsync(["rev-parse", "--show-toplevel"], cancellationToken).ConfigureAwait(false);
        var isRepository = top.ExitCode == 0 && string.Equals(Path.GetFullPath(top.Text.Trim()), root, StringComparison.Ordinal);
        if (commit is null)
        {
            return new Codebase(root, null, isRepository, limits ?? CodebaseLimits.Default);
        }

        if (!isRepository)
        {
            throw new CodebaseException($"'{path}' is not the top of a git repository, so commit '{commit}' cannot be read; leave the commit out to read the directory.");
        }

        if (commit.Length == 0 || commit.StartsWith('-') || commit.Any(char.IsWhiteSpace))
        {
            throw new CodebaseException($"'{commit}' is not a commit name.");
        }

        var resolved = await cli.RunAsync(["rev-parse", "--verify", "--quiet", "--end-of-options", commit + "^{commit}"], cancellationToken).ConfigureAwait(false);
        if (resolved.ExitCode != 0)
        {
            throw new CodebaseException($"The commit '{commit}' does not exist in '{path}'.");
        }

        return new Codebase(root, resolved.Text.Trim(), isRepository, limits ?? CodebaseLimits.Default);
    }

    /// <summary>The same repository at another commit (null: the directory on disk), with the same limits.</summary>
    public Task<Codebase> AtAsync(string? commit, CancellationToken cancellationToken = default) => OpenAsync(Root, commit, Limits, cancellationToken);

    /// <summary>The files under <paramref name="folder"/> (the whole repository when empty), sorted by path.</summary>
    public async Task<IReadOnlyList<CodebaseFile>> ListAsync(string? folder = null, CancellationToken cancellationToken = default)
    {
        var relative = await ResolveAsync(folder, cancellationToken).ConfigureAwait(false);
        accesses.Enqueue(new("list", relative));
        return await ListResolvedAsync(relative).ConfigureAwait(false);
    }

    /// <summary>Every file of a directory read as it is on disk, for <see cref="CodebaseManifest"/>: not a read of the model's, so not in <see cref="Accesses"/>.</summary>
    internal Task<IReadOnlyList<CodebaseFile>> ListFilesOnDiskAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Commit is null
            ? ListResolvedAsync(string.Empty)
            : throw new InvalidOperationException("A codebase read at a commit has no files on disk to hash; its commit says what it holds.");
    }

    private async Task<IReadOnlyList<CodebaseFile>> ListResolvedAsync(string relative)
    {
        if (tree is not null)
        {
            var files = (await tree.Value.ConfigureAwait(false)).Files;
            if (relative.Length > 0 && files.ContainsKey(relative))
            {
                throw new CodebasePathException($"'{relative}' is a file, not a folder; read it with read_file.");
            }

            var prefix = relative.Length == 0 ? string.Empty : relative + "/";
            return files.Values.Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal)).Select(f => new CodebaseFile(f.Path, f.Size)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        }

        var directory = Path.Combine(Root, relative);
        if (File.Exists(directory))
        {
            throw new CodebasePathException($"'{relative}' is a file, not a folder; read it with read_file.");
        }

        if (!Directory.Exists(directory))
        {
            throw new CodebasePathException($"There is no folder '{relative}' in the repository.");
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        return new DirectoryInfo(directory).EnumerateFiles("*", options)
            .Select(f => new CodebaseFile(Path.GetRelativePath(Root, f.FullName).Replace('\\', '/'), f.Length))
            .Where(f => !IsGitInternal(f.Path))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Reads a file; a binary file or one over <see cref="CodebaseLimits.MaxFileBytes"/> comes back without text and with a note.</summary>
    public async Task<CodebaseFileContent> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var relative = await ResolveAsync(path, cancellationToken).ConfigureAwait(false);
        accesses.Enqueue(new("read", relative));
        long size;
        Func<Task<byte[]>> read;
        if (tree is not null)
        {
            var files = (await tree.Value.ConfigureAwait(false)).Files;
            if (!files.TryGetValue(relative, out var entry))
            {
                throw new CodebasePathException(IsFolder(files, relative) ? $"'{relative}' is a folder; list it with list_files." : $"There is no file '{relative}' at commit {Commit![..12]}.");
            }

            size = entry.Size;
            read = async () => (await git.RunCheckedAsync(["cat-file", "blob", entry.Sha], cancellationToken).ConfigureAwait(false)).Output;
        }
        else
        {
            var full = Path.Combine(Root, relative);
            if (Directory.Exists(full))
            {
                throw new CodebasePathException($"'{relative}' is a folder; list it with list_files.");
            }

            if (!File.Exists(full))
            {
                throw new CodebasePathException($"There is no file '{relative}' in the repository.");
            }

            size = new FileInfo(full).Length;
            // An empty file is not opened: a FIFO, also of size 0, would block the open until a writer came.
            read = () => size == 0 ? Task.FromResult(Array.Empty<byte>()) : File.ReadAllBytesAsync(full, cancellationToken);
        }

        if (size > Limits.MaxFileBytes)
        {
            return new CodebaseFileContent(relative, size, null, $"'{relative}' is {size:N0} bytes, over the limit of {Limits.MaxFileBytes:N0}; it was not read. Search it with search_code instead.");
        }

        var bytes = await read().ConfigureAwait(false);
        return IsBinary(bytes)
            ? new CodebaseFileContent(relative, size, null, $"'{relative}' is a binary file of {size:N0} bytes; it is not shown.")
            : new CodebaseFileContent(relative, size, Encoding.UTF8.GetString(bytes), null);
    }

    /// <summary>Lines matching <paramref name="pattern"/> (a regular expression; POSIX extended in a git commit), at most <see cref="CodebaseLimits.MaxSearchResults"/>; binary files are skipped.</summary>
    public async Task<(IReadOnlyList<CodebaseSearchHit> Hits, bool Truncated)> SearchAsync(string pattern, string? folder = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            throw new CodebasePathException("The search pattern is empty.");
        }

        var relative = await ResolveAsync(folder, cancellationToken).ConfigureAwait(false);
        accesses.Enqueue(new("search", relative));
        var max = Limits.MaxSearchResults;
        var hits = new List<CodebaseSearchHit>();
        if (Commit is not null)
        {
            List<string> arguments = ["grep", "-n", "-I", "-E", "--no-color", "--full-name", "-e", pattern, Commit, "--"];
            arguments.Add(relative.Length == 0 ? "." : ":(literal)" + relative);
            var result = await git.RunAsync(arguments, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode > 1)
            {
                throw new CodebasePathException($"The search failed: {result.Error}");
            }

            foreach (var line in result.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                // <commit>:<path>:<line>:<text>
                var rest = line[(Commit.Length + 1)..];
                var match = GrepLine().Match(rest);
                if (match.Success)
                {
                    hits.Add(new CodebaseSearchHit(match.Groups[1].Value, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), Cut(match.Groups[3].Value)));
                    if (hits.Count > max)
                    {
                        break;
                    }
                }
            }
        }
        else
        {
            Regex regex;
            try
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
            }
            catch (ArgumentException ex)
            {
                throw new CodebasePathException($"The pattern is not a valid regular expression: {ex.Message}");
            }

            foreach (var file in await ListResolvedAsync(relative).ConfigureAwait(false))
            {
                // Empty files hold no match and are never opened (a FIFO, also of size 0, would block the open).
                if (file.Size == 0 || file.Size > Limits.MaxFileBytes)
                {
                    continue;
                }

                var bytes = await File.ReadAllBytesAsync(Path.Combine(Root, file.Path), cancellationToken).ConfigureAwait(false);
                if (IsBinary(bytes))
                {
                    continue;
                }

                var lines = Encoding.UTF8.GetString(bytes).Split('\n');
                for (var i = 0; i < lines.Length && hits.Count <= max; i++)
                {
                    try
                    {
                        if (regex.IsMatch(lines[i]))
                        {
                            hits.Add(new CodebaseSearchHit(file.Path, i + 1, Cut(lines[i].TrimEnd('\r'))));
                        }
                    }
                    catch (RegexMatchTimeoutException)
                    {
                        throw new CodebasePathException("The pattern took too long to match; use a simpler one.");
                    }
                }

                if (hits.Count > max)
                {
                    break;
                }
            }
        }

        return hits.Count > max ? (hits.Take(max).ToList(), true) : (hits, false);
    }

    /// <summary>The commits that touched <paramref name="path"/> (the whole repository when empty), newest first, up to the commit read.</summary>
    public async Task<string> LogAsync(string? path = null, int maxCount = 10, CancellationToken cancellationToken = default)
    {
        var relative = await ResolveAsync(path, cancellationToken).ConfigureAwait(false);
        accesses.Enqueue(new("log", relative));
        RequireRepository();
        List<string> arguments = ["log", "--no-color", "--date=short", "--format=%h %ad %an%n    %s", "-n", Math.Clamp(maxCount, 1, 100).ToString(System.Globalization.CultureInfo.InvariantCulture), Commit ?? "HEAD", "--"];
        if (relative.Length > 0)
        {
            arguments.Add(":(literal)" + relative);
        }

        var result = await git.RunCheckedAsync(arguments, cancellationToken).ConfigureAwait(false);
        return Bound(result.Text.TrimEnd());
    }

    /// <summary>One commit (an ancestor of the commit read, or that commit): its message, changed files and patch, limited to <paramref name="path"/> when given.</summary>
    public async Task<string> ShowAsync(string commit, string? path = null, CancellationToken cancellationToken = default)
    {
        var id = await ResolveAncestorAsync(commit, cancellationToken).ConfigureAwait(false);
        var relative = await ResolveAsync(path, cancellationToken).ConfigureAwait(false);
        accesses.Enqueue(new("show", relative.Length == 0 ? id : id + ":" + relative));
        List<string> arguments = ["show", "--no-color", "--no-ext-diff", "--no-textconv", "--stat", "--patch", "--format=commit %H%nAuthor: %an%nDate: %ad%n%n%B", id, "--"];
        if (relative.Length > 0)
        {
            arguments.Add(":(literal)" + relative);
        }

        var result = await git.RunCheckedAsync(arguments, cancellationToken).ConfigureAwait(false);
        return Bound(result.Text.TrimEnd());
    }

    /// <summary>What changed from <paramref name="fromCommit"/> to the commit read: each file with its status and patch. Only the changed files are read.</summary>
    public async Task<IReadOnlyList<CodebaseChange>> DiffAsync(string fromCommit, CancellationToken cancellationToken = default)
    {
        if (Commit is null)
        {
            throw new CodebaseException("A directory read from disk has no commit to diff against.");
        }

        var from = await ResolveCommitAsync(fromCommit, cancellationToken).ConfigureAwait(false);
        accesses.Enqueue(new("diff", from + ".." + Commit));
        var names = await git.RunCheckedAsync(["diff", "--no-color", "--no-renames", "--name-status", "-z", from, Commit], cancellationToken).ConfigureAwait(false);
        var fields = names.Text.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var changes = new List<CodebaseChange>();
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            var patch = await git.RunCheckedAsync(["diff", "--no-color", "--no-ext-diff", "--no-textconv", from, Commit, "--", ":(literal)" + fields[i + 1]], cancellationToken).ConfigureAwait(false);
            changes.Add(new CodebaseChange(CodebaseChange.StatusOf(fields[i][0]), fields[i + 1], Bound(patch.Text.TrimEnd())));
        }

        return changes;
    }

    /// <summary>
    /// The repository-relative form of <paramref name="path"/> with symlinks inside the repository followed, or a
    /// <see cref="CodebasePathException"/> when it is absolute, climbs out with <c>..</c>, names <c>.git</c>, or passes
    /// through a symlink whose target is outside the repository.
    /// </summary>
    public async Task<string> ResolveAsync(string? path, CancellationToken cancellationToken = default)
    {
        var segments = Segments(path);
        return tree is not null
            ? await ResolveInTreeAsync(segments, cancellationToken).ConfigureAwait(false)
            : ResolveOnDisk(segments);
    }

    private static List<string> Segments(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Trim() is "." or "/" or "./")
        {
            return [];
        }

        var text = path.Trim();
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new CodebasePathException("The path contains a NUL character.");
        }

        if (text.StartsWith('/') || text.StartsWith('\\') || text.StartsWith('~') || Path.IsPathRooted(text) || (text.Length > 1 && text[1] == ':'))
        {
            throw new CodebasePathException($"'{path}' is an absolute path; give a path relative to the repository root.");
        }

        var segments = text.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        if (segments.Contains(".."))
        {
            throw new CodebasePathException($"'{path}' contains '..'; paths must stay inside the repository.");
        }

        if (segments.Count > 0 && IsGitInternal(segments[0]))
        {
            throw new CodebasePathException("The .git folder is not part of the codebase.");
        }

        return segments;
    }

    private string ResolveOnDisk(List<string> segments)
    {
        var current = Root;
        foreach (var segment in segments)
        {
            var next = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(info.LinkTarget, current);
                if (!Inside(target))
                {
                    throw new CodebasePathException($"'{Relative(next)}' is a symlink that points outside the repository.");
                }

                next = target;
            }

            current = next;
        }

        var relative = Relative(current);
        return IsGitInternal(relative) ? throw new CodebasePathException("The .git folder is not part of the codebase.") : relative;
    }

    private async Task<string> ResolveInTreeAsync(List<string> segments, CancellationToken cancellationToken)
    {
        var files = (await tree!.Value.ConfigureAwait(false)).Files;
        var resolved = new List<string>();
        var queue = new Queue<string>(segments);
        var hops = 0;
        while (queue.Count > 0)
        {
            resolved.Add(queue.Dequeue());
            var prefix = string.Join('/', resolved);
            if (!files.TryGetValue(prefix, out var entry) || entry.Mode != SymlinkMode)
            {
                continue;
            }

            if (++hops > 16)
            {
                throw new CodebasePathException($"'{prefix}' is a symlink loop.");
            }

            // A symlink in a commit is a blob holding its target; resolve it like the filesystem would, inside the tree.
            var target = (await git.RunCheckedAsync(["cat-file", "blob", entry.Sha], cancellationToken).ConfigureAwait(false)).Text.Trim();
            var combined = new List<string>(resolved.SkipLast(1));
            if (target.StartsWith('/') || Path.IsPathRooted(target))
            {
                throw new CodebasePathException($"'{prefix}' is a symlink that points outside the repository.");
            }

            foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == "..")
                {
                    if (combined.Count == 0)
                    {
                        throw new CodebasePathException($"'{prefix}' is a symlink that points outside the repository.");
                    }

                    combined.RemoveAt(combined.Count - 1);
                }
                else if (part != ".")
                {
                    combined.Add(part);
                }
            }

            if (combined.Count > 0 && IsGitInternal(combined[0]))
            {
                throw new CodebasePathException($"'{prefix}' is a symlink into the .git folder.");
            }

            var rest = queue.ToList();
            queue = new Queue<string>([.. combined, .. rest]);
            resolved.Clear();
        }

        return string.Join('/', resolved);
    }

    private async Task<string> ResolveCommitAsync(string commit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(commit) || !CommitId().IsMatch(commit.Trim()))
        {
            throw new CodebasePathException($"'{commit}' is not a commit id (4 to 40 hexadecimal digits).");
        }

        var resolved = await git.RunAsync(["rev-parse", "--verify", "--quiet", "--end-of-options", commit.Trim() + "^{commit}"], cancellationToken).ConfigureAwait(false);
        return resolved.ExitCode == 0 ? resolved.Text.Trim() : throw new CodebasePathException($"The commit '{commit}' does not exist in the repository.");
    }

    private async Task<string> ResolveAncestorAsync(string commit, CancellationToken cancellationToken)
    {
        RequireRepository();
        var id = await ResolveCommitAsync(commit, cancellationToken).ConfigureAwait(false);
        var ancestor = await git.RunAsync(["merge-base", "--is-ancestor", id, Commit ?? "HEAD"], cancellationToken).ConfigureAwait(false);
        return ancestor.ExitCode == 0 ? id : throw new CodebasePathException($"The commit '{commit}' is not in the history of the commit being read.");
    }

    private void RequireRepository()
    {
        if (!IsRepository)
        {
            throw new CodebasePathException("This codebase is a plain directory, not a git repository: it has no history.");
        }
    }

    private bool Inside(string full) =>
        string.Equals(full, Root, StringComparison.Ordinal) || full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private string Relative(string full) => full == Root ? string.Empty : Path.GetRelativePath(Root, full).Replace('\\', '/');

    private static bool IsFolder(IReadOnlyDictionary<string, GitTree.Entry> files, string relative) =>
        relative.Length == 0 || files.Keys.Any(k => k.StartsWith(relative + "/", StringComparison.Ordinal));

    private static bool IsGitInternal(string relative) => relative == ".git" || relative.StartsWith(".git/", StringComparison.Ordinal);

    private static bool IsBinary(byte[] bytes) => Array.IndexOf(bytes, (byte)0, 0, Math.Min(bytes.Length, 8000)) >= 0;

    private string Cut(string line) => line.Length <= Limits.MaxLineChars ? line : line[..Limits.MaxLineChars] + "…";

    private string Bound(string text) => text.Length <= Limits.MaxOutputChars
        ? text
        : text[..Limits.MaxOutputChars] + $"\n… [cut at {Limits.MaxOutputChars:N0} of {text.Length:N0} characters]";

    [GeneratedRegex("^(.*?):([0-9]+):(.*)$")]
    private static partial Regex GrepLine();

    [GeneratedRegex("^[0-9a-fA-F]{4,40}$")]
    private static partial Regex CommitId();

    /// <summary>Every blob of a commit (files and symlinks) with its mode, id and size, read once.</summary>
    private sealed class GitTree
    {
        public sealed record Entry(string Path, string Mode, string Sha, long Size);

        private GitTree(IReadOnlyDictionary<string, Entry> files) => Files = files;

        public IReadOnlyDictionary<string, Entry> Files { get; }

        public static async Task<GitTree> LoadAsync(GitCli git, string commit)
        {
            var result = await git.RunCheckedAsync(["ls-tree", "-r", "-l", "-z", "--full-tree", commit]).ConfigureAwait(false);
            var files = new Dictionary<string, Entry>(StringComparer.Ordinal);
            foreach (var record in result.Text.Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                // "<mode> <type> <sha> <size>\t<path>"; submodules are commits and have no size to read.
                var tab = record.IndexOf('\t', StringComparison.Ordinal);
                var head = record[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (head[1] != "blob")
                {
                    continue;
                }

                var path = record[(tab + 1)..];
                files[path] = new Entry(path, head[0], head[2], long.TryParse(head[3], out var size) ? size : 0);
            }

            return new GitTree(files);
        }
    }
}
