namespace SleepTime;

/// <summary>How to answer one query.</summary>
public sealed record AskOptions
{
    public static AskOptions Default { get; } = new();

    public AnswerBudget Budget { get; init; } = AnswerBudget.Default;

    public AnswerArm Arm { get; init; } = AnswerArm.SleepTime;

    /// <summary>Also give the model the raw context <c>c</c> beside <c>c'</c> (the baseline always gets it).</summary>
    public bool IncludeRawContext { get; init; } = true;
}
