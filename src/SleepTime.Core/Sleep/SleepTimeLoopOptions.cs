namespace SleepTime;

public sealed record SleepTimeLoopOptions
{
    /// <summary>Model calls per run, tool rounds and reminders included.</summary>
    public int MaxModelCalls { get; init; } = 12;

    /// <summary>How often a model that answers in plain text is reminded to use the tools.</summary>
    public int MaxReminders { get; init; } = 1;

    public int? MaxOutputTokens { get; init; }

    /// <summary>
    /// Most tokens (input and output) one run may spend. A run that reaches it stops and fails
    /// <see cref="SleepFailureReason.OverBudget"/> with no changes; null: no limit.
    /// </summary>
    public long? MaxTotalTokens { get; init; }
}
