namespace SleepTime.Bench.Datasets;

/// <summary>Which answer grader a data set needs.</summary>
/// <remarks>The memory benchmarks (<see cref="LongMemEval"/>, <see cref="LoCoMo"/>) are graded by <c>Judging</c>, not by the math graders.</remarks>
public enum DatasetKind
{
    /// <summary>GSM-style word problems: the answer is the last number of the reply.</summary>
    Gsm,

    /// <summary>AIME: an integer 0–999, preferably in <c>\boxed{}</c>.</summary>
    Aime,

    /// <summary>LongMemEval: free-text answers about long chat histories, judged by a model, reported per question type.</summary>
    LongMemEval,

    /// <summary>LoCoMo: free-text answers about long two-person conversations, token F1 and a model judge per category.</summary>
    LoCoMo,
}
