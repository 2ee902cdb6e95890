namespace SleepTime;

public sealed record SleepTimeLoopOptions
{
    /// <summary>Model calls per run, tool rounds and reminders included.</summary>
    public int MaxModelCalls { get; init; } = 12;

    /// <summary>How often a model that answers in plain text is reminded to use the tools.</summary>
    public int MaxReminders { get; init; } = 1;

    public int? MaxOutputTokens { get; init; }

    /// <summary>Most tokens one run may spend; crossing it fails the run <see cref="SleepFailureReason.OverBudget"/> with no changes.</summary>
    public long? MaxTotalTokens { get; init; }
}
