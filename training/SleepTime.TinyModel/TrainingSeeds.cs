namespace SleepTime.TinyModel;

/// <summary>
/// The fixed seeds of training. Generator seeds used for training start at <see cref="First"/>; evaluation uses seeds
/// below it, so held-out problems are never trained on.
/// </summary>
public static class TrainingSeeds
{
    /// <summary>Initialization and data order.</summary>
    public const int Initialization = 20_261_201;

    /// <summary>The first generator seed of the training data.</summary>
    public const int First = 1_000_000;

    /// <summary>How many generator seeds the training data spans.</summary>
    public const int Count = 1_000;

    /// <summary>Whether a generator seed may appear in training data.</summary>
    public static bool IsTraining(int seed) => seed is >= First and < First + Count;
}
