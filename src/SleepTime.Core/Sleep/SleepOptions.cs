using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>Settings of one sleep <c>S(c) -> c'</c>.</summary>
public sealed record SleepOptions
{
    public const int MaxRuns = 64;

    public SleepPromptVariant Variant { get; init; } = SleepPromptVariant.General;

    public SleepMode Mode { get; init; } = SleepMode.Tools;

    /// <summary>Most <c>rethink_memory</c> calls one run may make (the paper: 10).</summary>
    public int MaxRethinks { get; init; } = 10;

    /// <summary>How many times a run is reminded to use its tools before it fails.</summary>
    public int MaxReminders { get; init; } = 2;

    /// <summary><c>k</c>: independent runs made in parallel, whose blocks are concatenated into <c>c'</c>.</summary>
    public int Runs { get; init; } = 1;

    /// <summary>Character limit of each learned block.</summary>
    public int BlockLimit { get; init; } = 8_000;

    public string BlockLabel { get; init; } = "learned_context";

    public ReasoningEffort? ReasoningEffort { get; init; }

    public int? MaxOutputTokens { get; init; }

    /// <summary>Most tokens the sleep may spend, its <c>k</c> runs together; crossing it fails the sleep <see cref="SleepFailureReason.OverBudget"/>.</summary>
    public long? MaxTotalTokens { get; init; }

    /// <summary>When the context only grew since the last sleep, give the model the previous <c>c'</c> plus the new part alone.</summary>
    public bool Incremental { get; init; } = true;

    /// <summary>Sleep even when the learned context already covers the current context version.</summary>
    public bool Force { get; init; }

    public void Validate()
    {
        Check(MaxRethinks is >= 1 and <= 100, nameof(MaxRethinks), "MaxRethinks must be between 1 and 100.");
        Check(MaxReminders is >= 0 and <= 10, nameof(MaxReminders), "MaxReminders must be between 0 and 10.");
        Check(Runs is >= 1 and <= MaxRuns, nameof(Runs), $"Runs (k) must be between 1 and {MaxRuns}.");
        Check(BlockLimit is >= 100 and <= 1_000_000, nameof(BlockLimit), "BlockLimit must be between 100 and 1,000,000 characters.");
        Check(!string.IsNullOrWhiteSpace(BlockLabel) && BlockLabel.Length <= 64, nameof(BlockLabel), "BlockLabel must be 1 to 64 characters.");
        Check(MaxOutputTokens is null or > 0, nameof(MaxOutputTokens), "MaxOutputTokens must be positive.");
        Check(MaxTotalTokens is null or >= 0, nameof(MaxTotalTokens), "MaxTotalTokens must not be negative.");
        Check(Enum.IsDefined(Variant), nameof(Variant), "Unknown sleep prompt variant.");
        Check(Enum.IsDefined(Mode), nameof(Mode), "Unknown sleep mode.");
    }

    private static void Check(bool ok, string field, string message)
    {
        if (!ok)
        {
            throw new SleepTimeValidationException(field, message);
        }
    }
}
