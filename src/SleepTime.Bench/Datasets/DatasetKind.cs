namespace SleepTime.Bench.Datasets;

/// <summary>Which answer grader a data set needs.</summary>
public enum DatasetKind
{
    /// <summary>GSM-style word problems: the answer is the last number of the reply.</summary>
    Gsm,

    /// <summary>AIME: an integer 0–999, preferably in <c>\boxed{}</c>.</summary>
    Aime,
}
