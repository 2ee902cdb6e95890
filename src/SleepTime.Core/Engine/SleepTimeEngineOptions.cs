namespace SleepTime;

/// <summary>Optional parts of a <see cref="SleepTimeEngine"/>; anything left null gets an in-process default.</summary>
public sealed record SleepTimeEngineOptions
{
    /// <summary>Where contexts live (default: in memory). A type implementing both store interfaces serves both.</summary>
    public IContextStore? Contexts { get; init; }

    public ILearnedContextStore? LearnedContexts { get; init; }

    /// <summary>Counts tokens for providers that report no usage (default: o200k).</summary>
    public ITokenCounter? TokenCounter { get; init; }

    public PromptLibrary? Prompts { get; init; }

    public TimeProvider? TimeProvider { get; init; }

    public SleepOptions Sleep { get; init; } = new();

    public AskOptions Ask { get; init; } = AskOptions.Default;
}
