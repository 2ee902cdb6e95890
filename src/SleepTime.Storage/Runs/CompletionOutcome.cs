namespace SleepTime.Storage;

public enum CompletionOutcome
{
    /// <summary>The run is final and, when it produced one, its learned context is the current version.</summary>
    Completed,

    /// <summary>Another learned context was committed first; nothing was written.</summary>
    LearnedConflict,

    /// <summary>The run was cancelled, or is no longer this attempt's to finish; nothing was written.</summary>
    NotOwned,
}
