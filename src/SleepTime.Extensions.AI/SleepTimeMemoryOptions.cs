namespace SleepTime.Extensions.AI;

/// <summary>Settings of a <see cref="SleepTimeMemory"/>; anything left null gets an in-process default.</summary>
public sealed record SleepTimeMemoryOptions
{
    /// <summary>Where conversations are kept as contexts (default: in memory). A type implementing both store interfaces serves both.</summary>
    public IContextStore? Contexts { get; init; }

    /// <summary>Where learned contexts are committed (default: the same in-memory store as <see cref="Contexts"/>).</summary>
    public ILearnedContextStore? LearnedContexts { get; init; }

    /// <summary>
    /// When a conversation sleeps: the one <see cref="SchedulePolicy"/> of every sleeper. Default: two seconds after
    /// the conversation last changed (at most a minute under continuous changes).
    /// </summary>
    public SchedulePolicy Schedule { get; init; } = new() { OnChange = true, DebounceSeconds = 2, MaxWaitSeconds = 60 };

    /// <summary>The sleep prompt variant for conversations (general by default).</summary>
    public SleepPromptVariant Variant { get; init; } = SleepPromptVariant.General;

    public ITokenCounter? TokenCounter { get; init; }

    public PromptLibrary? Prompts { get; init; }

    public TimeProvider? TimeProvider { get; init; }
}
