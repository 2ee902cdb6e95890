namespace SleepTime;

/// <summary>Which sleep-phase instructions to use.</summary>
public enum SleepPromptVariant
{
    /// <summary>Documents and conversations: summarise, infer, anticipate questions.</summary>
    General,

    /// <summary>Word problems: derive and double-check every quantity a later question may need.</summary>
    Math,

    /// <summary>The rest of the problem arrives later: precompute what reaches the answer fastest.</summary>
    PartialProblem,
}
