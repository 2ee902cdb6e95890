namespace SleepTime;

public enum ChangeSetStatus
{
    /// <summary>Held by the review gate; no block was touched.</summary>
    Pending,

    /// <summary>Every block change was applied (directly or rebased onto a newer value).</summary>
    Committed,

    /// <summary>Some block changes were applied; others are conflicts or contradict confirmed lines and wait for a person.</summary>
    NeedsReview,

    /// <summary>A reviewer rejected it; nothing that was still waiting was applied.</summary>
    Rejected,

    /// <summary>Every applied block change was undone.</summary>
    Reverted,
}
