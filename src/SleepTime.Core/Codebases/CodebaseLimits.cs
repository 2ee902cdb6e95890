namespace SleepTime;

/// <summary>How much one read-only tool call may return, so that no file or search floods a model's context.</summary>
public sealed record CodebaseLimits
{
    /// <summary>Files larger than this are not read; the tools say so with the file's size.</summary>
    public long MaxFileBytes { get; init; } = 512 * 1024;

    /// <summary>Most lines one read returns; a longer file is shown in part with a note to ask for a line range.</summary>
    public int MaxReadLines { get; init; } = 400;

    /// <summary>Files per page of a listing.</summary>
    public int PageSize { get; init; } = 200;

    /// <summary>Most matching lines one search returns.</summary>
    public int MaxSearchResults { get; init; } = 50;

    /// <summary>Most characters of a log, a commit or a patch.</summary>
    public int MaxOutputChars { get; init; } = 20_000;

    /// <summary>Longest line shown by a search or a read; longer lines are cut with an ellipsis.</summary>
    public int MaxLineChars { get; init; } = 400;

    public static CodebaseLimits Default { get; } = new();
}
