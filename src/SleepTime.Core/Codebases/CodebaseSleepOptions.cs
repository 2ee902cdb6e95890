namespace SleepTime;

/// <summary>Settings of one sleep over a codebase: the exploration budget (tool calls, tokens) and the learned block.</summary>
public sealed record CodebaseSleepOptions
{
    /// <summary>Most read-only tool calls of the whole sleep; once spent, exploration ends and what was written is kept.</summary>
    public int MaxToolCalls { get; init; } = 40;

    /// <summary>Tokens after which exploration ends (what was written is kept); null for no such limit.</summary>
    public long? MaxExplorationTokens { get; init; }

    /// <summary>The hard cap (a tenant's or a sleeper's allowance): crossing it fails the sleep <see cref="SleepFailureReason.OverBudget"/>, nothing kept.</summary>
    public long? MaxTotalTokens { get; init; }

    /// <summary>Most <c>rethink_memory</c> calls per stage (a related change, the exploration, a diff).</summary>
    public int MaxRethinks { get; init; } = 10;

    public int MaxReminders { get; init; } = 2;

    public int BlockLimit { get; init; } = 12_000;

    public string BlockLabel { get; init; } = "codebase";

    public int? MaxOutputTokens { get; init; }

    /// <summary>Sleep even when the learned context already covers the current revision and every document.</summary>
    public bool Force { get; init; }

    public void Validate()
    {
        Check(MaxToolCalls is >= 0 and <= 10_000, nameof(MaxToolCalls), "MaxToolCalls must be between 0 and 10,000.");
        Check(MaxExplorationTokens is null or > 0, nameof(MaxExplorationTokens), "MaxExplorationTokens must be positive.");
        Check(MaxTotalTokens is null or >= 0, nameof(MaxTotalTokens), "MaxTotalTokens must not be negative.");
        new SleepOptions { MaxRethinks = MaxRethinks, MaxReminders = MaxReminders, BlockLimit = BlockLimit, BlockLabel = BlockLabel, MaxOutputTokens = MaxOutputTokens }.Validate();
    }

    internal SleepOptions MemoryOptions => new() { MaxRethinks = MaxRethinks, MaxReminders = MaxReminders, BlockLimit = BlockLimit, BlockLabel = BlockLabel, MaxOutputTokens = MaxOutputTokens };

    private static void Check(bool ok, string field, string message)
    {
        if (!ok)
        {
            throw new SleepTimeValidationException(field, message);
        }
    }
}
