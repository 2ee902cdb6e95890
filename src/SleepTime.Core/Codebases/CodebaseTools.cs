using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// The read-only tools over one <see cref="Codebase"/> as M.E.AI functions: <c>list_files</c>, <c>read_file</c>,
/// <c>search_code</c>, <c>git_log</c> and <c>git_show</c>. A bad path or argument is answered with an
/// <c>Error: …</c> result the model can correct, never an exception; after <see cref="MaxCalls"/> calls every tool
/// answers that the budget is spent.
/// </summary>
public sealed class CodebaseTools
{
    public const string ListFiles = "list_files";
    public const string ReadFile = "read_file";
    public const string SearchCode = "search_code";
    public const string GitLog = "git_log";
    public const string GitShow = "git_show";

    private readonly Codebase codebase;
    private int calls;
    private volatile string? ended;

    public CodebaseTools(Codebase codebase, int maxCalls = int.MaxValue)
    {
        this.codebase = codebase ?? throw new ArgumentNullException(nameof(codebase));
        MaxCalls = maxCalls;
        var path = ("path", "string", "A path relative to the repository root, '/'-separated.");
        All =
        [
            new CodebaseTool(ListFiles, "List the files under a folder of the repository (the root when path is omitted), a page at a time.",
                SleepTool.Schema([], ("path", "string", "A folder relative to the repository root; omit for the root."), ("page", "integer", "The page, from 1.")),
                (a, ct) => Guarded(() => ListAsync(a, ct))),
            new CodebaseTool(ReadFile, "Read a text file of the repository, whole or a range of lines (numbered from 1).",
                SleepTool.Schema(["path"], path, ("start_line", "integer", "First line to show, from 1."), ("end_line", "integer", "Last line to show.")),
                (a, ct) => Guarded(() => ReadAsync(a, ct))),
            new CodebaseTool(SearchCode, "Search the repository's text files for a regular expression; returns matching lines as path:line: text.",
                SleepTool.Schema(["pattern"], ("pattern", "string", "A regular expression (POSIX extended)."), ("path", "string", "Limit the search to this folder or file.")),
                (a, ct) => Guarded(() => SearchAsync(a, ct))),
            new CodebaseTool(GitLog, "The commits that changed a path (the whole repository when omitted), newest first.",
                SleepTool.Schema([], path, ("max_count", "integer", "Most commits to list (default 10).")),
                (a, ct) => Guarded(() => LogAsync(a, ct))),
            new CodebaseTool(GitShow, "Show one commit of the history: message, changed files and patch (only for path, when given).",
                SleepTool.Schema(["commit"], ("commit", "string", "A commit id from git_log."), path),
                (a, ct) => Guarded(() => ShowAsync(a, ct))),
        ];
    }

    /// <summary>The tools as every run declares them, for checks over everything the project offers a model.</summary>
    public IList<AITool> All { get; }

    public int MaxCalls { get; }

    /// <summary>Calls made so far, refused ones included.</summary>
    public int Calls => Volatile.Read(ref calls);

    /// <summary>True once <see cref="MaxCalls"/> calls were made or <see cref="End"/> was called: every further call is refused.</summary>
    public bool Spent => Calls >= MaxCalls || ended is not null;

    /// <summary>Calls made after the tools were spent (all refused).</summary>
    public int RefusedCalls { get; private set; }

    /// <summary>Ends reading early (another budget ran out): every further call is refused with <paramref name="why"/>.</summary>
    public void End(string why) => ended = why;

    private async Task<string> Guarded(Func<Task<string>> run)
    {
        if (ended is { } why)
        {
            RefusedCalls++;
            return SleepTool.Error($"{why}; no more reading. Write what you learned and finish.");
        }

        if (Interlocked.Increment(ref calls) > MaxCalls)
        {
            RefusedCalls++;
            return SleepTool.Error($"the budget of {MaxCalls} tool calls is spent; no more reading. Write what you learned and finish.");
        }

        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (SleepTimeException ex) when (ex is CodebasePathException or CodebaseException)
        {
            return SleepTool.Error(ex.Message);
        }
    }

    private async Task<string> ListAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        if (!ToolArguments.TryReadInt(arguments, "page", out var page) || page < 1)
        {
            return SleepTool.Error("page must be a whole number from 1.");
        }

        var folder = ToolArguments.ReadString(arguments, "path");
        var files = await codebase.ListAsync(folder, cancellationToken).ConfigureAwait(false);
        var size = codebase.Limits.PageSize;
        var pages = Math.Max(1, (files.Count + size - 1) / size);
        var number = page ?? 1;
        if (number > pages)
        {
            return SleepTool.Error($"there are {pages} pages; page {number} does not exist.");
        }

        var text = new StringBuilder();
        var where = string.IsNullOrWhiteSpace(folder) ? "the repository" : $"'{folder.Trim()}'";
        text.Append(CultureInfo.InvariantCulture, $"{files.Count} files under {where}, page {number} of {pages}:\n");
        foreach (var file in files.Skip((number - 1) * size).Take(size))
        {
            text.Append(file.Path).Append(CultureInfo.InvariantCulture, $" ({file.Size} bytes)\n");
        }

        return text.ToString().TrimEnd();
    }

    private async Task<string> ReadAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        if (ToolArguments.ReadString(arguments, "path") is not { } path || string.IsNullOrWhiteSpace(path))
        {
            return SleepTool.Error("path is required.");
        }

        if (!ToolArguments.TryReadInt(arguments, "start_line", out var start) || !ToolArguments.TryReadInt(arguments, "end_line", out var end) || start < 1 || end < 1 || end < start)
        {
            return SleepTool.Error("start_line and end_line must be whole numbers from 1, with end_line not before start_line.");
        }

        var content = await codebase.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        if (content.Text is null)
        {
            return content.Note!;
        }

        var lines = content.Text.Split('\n');
        if (lines.Length > 1 && lines[^1].Length == 0)
        {
            lines = lines[..^1];
        }

        var first = start ?? 1;
        if (first > Math.Max(1, lines.Length))
        {
            return SleepTool.Error($"'{content.Path}' has {lines.Length} lines; start_line {first} is past its end.");
        }

        var last = Math.Min(lines.Length, end ?? lines.Length);
        var shown = Math.Min(last, first + codebase.Limits.MaxReadLines - 1);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{content.Path} (lines {first}-{shown} of {lines.Length}):\n");
        for (var i = first; i <= shown; i++)
        {
            var line = lines[i - 1].TrimEnd('\r');
            text.Append(CultureInfo.InvariantCulture, $"{i,5}  ").Append(line.Length <= codebase.Limits.MaxLineChars ? line : line[..codebase.Limits.MaxLineChars] + "…").Append('\n');
        }

        if (shown < last)
        {
            text.Append(CultureInfo.InvariantCulture, $"… [{last - shown} more lines; read them with start_line {shown + 1}]");
        }

        return text.ToString().TrimEnd();
    }

    private async Task<string> SearchAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        if (ToolArguments.ReadString(arguments, "pattern") is not { Length: > 0 } pattern)
        {
            return SleepTool.Error("pattern is required.");
        }

        var (hits, truncated) = await codebase.SearchAsync(pattern, ToolArguments.ReadString(arguments, "path"), cancellationToken).ConfigureAwait(false);
        if (hits.Count == 0)
        {
            return $"No matches for /{pattern}/.";
        }

        var text = new StringBuilder();
        foreach (var hit in hits)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hit.Path}:{hit.Line}: {hit.Text}\n");
        }

        if (truncated)
        {
            text.Append(CultureInfo.InvariantCulture, $"… [only the first {hits.Count} matches; narrow the pattern or the path]");
        }

        return text.ToString().TrimEnd();
    }

    private async Task<string> LogAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        if (!ToolArguments.TryReadInt(arguments, "max_count", out var max) || max < 1)
        {
            return SleepTool.Error("max_count must be a whole number from 1.");
        }

        var log = await codebase.LogAsync(ToolArguments.ReadString(arguments, "path"), max ?? 10, cancellationToken).ConfigureAwait(false);
        return log.Length == 0 ? "No commits touch that path." : log;
    }

    private async Task<string> ShowAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        ToolArguments.ReadString(arguments, "commit") is not { Length: > 0 } commit
            ? SleepTool.Error("commit is required.")
            : await codebase.ShowAsync(commit, ToolArguments.ReadString(arguments, "path"), cancellationToken).ConfigureAwait(false);
}
