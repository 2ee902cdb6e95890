namespace SleepTime.Bench.Running;

/// <summary>The families of answering strategy the paper compares.</summary>
public enum ArmKind
{
    /// <summary>Test-time compute only: context and question, no learned context.</summary>
    Baseline,

    /// <summary>Sleep first (<c>k</c> runs), then answer from the learned context on a small budget.</summary>
    SleepTime,

    /// <summary>No question: the model guesses what will be asked and answers it.</summary>
    ContextOnly,

    /// <summary>Baseline at the lowest verbosity, <c>k</c> samples, right when any sample is right (oracle-checked).</summary>
    PassAtK,
}
