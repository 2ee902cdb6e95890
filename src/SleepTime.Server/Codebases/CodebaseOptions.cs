namespace SleepTime.Server;

/// <summary>
/// <c>SleepTime:Codebases</c>: where codebase contexts may read. Without a <see cref="Root"/> no codebase context can
/// be created: a tenant names a path relative to the root and can never reach outside it.
/// </summary>
public sealed class CodebaseOptions
{
    public const string Section = "SleepTime:Codebases";

    /// <summary>The folder holding the repositories tenants may read; null turns codebase contexts off.</summary>
    public string? Root { get; set; }

    /// <summary>Read-only tool calls per sleep.</summary>
    public int MaxToolCalls { get; set; } = 40;

    /// <summary>Tokens after which a sleep's exploration ends and what it wrote is kept (the run's budget stays the hard cap).</summary>
    public long? MaxExplorationTokens { get; set; }

    /// <summary>
    /// Seconds between looks at the directories codebase contexts read on disk (those without a commit): a change of
    /// their files is recorded as a new revision, which the context's schedule hears like any write. 0 turns it off.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, MaxWatchSeconds)]
    public int WatchSeconds { get; set; } = 30;

    /// <summary>The longest period between looks: a day.</summary>
    public const int MaxWatchSeconds = 86_400;

    /// <summary>Steps (model calls) of a task at test time.</summary>
    public int MaxSteps { get; set; } = 10;
}
