namespace SleepTime;

/// <summary>A file of a codebase: its repository-relative path ('/'-separated) and its size in bytes.</summary>
public sealed record CodebaseFile(string Path, long Size);

/// <summary>What reading a file gave: its text, or why there is none (binary, too large).</summary>
public sealed record CodebaseFileContent(string Path, long Size, string? Text, string? Note)
{
    public bool IsText => Text is not null;
}

/// <summary>One line a search matched.</summary>
public sealed record CodebaseSearchHit(string Path, int Line, string Text);

/// <summary>A file a change touched: its status as GitHub names it (<c>added</c>, <c>modified</c>, <c>removed</c>, <c>renamed</c>), the path, and its patch.</summary>
public sealed record CodebaseChange(string Status, string Path, string Patch)
{
    public const string Added = "added";
    public const string Modified = "modified";
    public const string Removed = "removed";

    /// <summary>git's status letter (A, M, D, T, R, C) as a status word.</summary>
    public static string StatusOf(char letter) => letter switch
    {
        'A' or 'C' => Added,
        'D' => Removed,
        'R' => "renamed",
        _ => Modified,
    };
}
