namespace SleepTime;

public enum BlockChangeState
{
    /// <summary>Not applied yet (a fresh change set, or one held by the review gate).</summary>
    Proposed,

    /// <summary>Written onto the very version the run read.</summary>
    Applied,

    /// <summary>The block had moved on; the run's edits were re-applied onto the newer value and written.</summary>
    Rebased,

    /// <summary>The block had moved on and the edits no longer apply; waits for a person.</summary>
    Conflict,

    /// <summary>The change removes or alters a line marked confirmed; waits for a person.</summary>
    HeldForReview,

    Rejected,

    Reverted,
}
