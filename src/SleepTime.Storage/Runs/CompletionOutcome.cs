namespace SleepTime.Storage;

public enum CompletionOutcome
{
    /// <summary>The run is final and, when it produced memory, that memory is committed.</summary>
    Completed,

    /// <summary>Another commit got there first (a newer learned context, or a moved watermark); nothing was written.</summary>
    LearnedConflict,

    /// <summary>The run was cancelled, or is no longer this attempt's to finish; nothing was written.</summary>
    NotOwned,
}

/// <summary>The outcome of <see cref="RunStore.CompleteAsync"/>, with the change set an agent run stored.</summary>
public sealed record RunCompletionResult(CompletionOutcome Outcome, ChangeSet? ChangeSet = null, string? Reason = null);
