namespace SleepTime.Bench.Datasets;

/// <summary>A loaded evaluation set: contexts, each with the questions asked about it.</summary>
public sealed record BenchDataset(string Name, DatasetKind Kind, IReadOnlyList<BenchContext> Contexts)
{
    public int QuestionCount => Contexts.Sum(c => c.Questions.Count);

    public IEnumerable<(BenchContext Context, BenchQuestion Question)> Items =>
        Contexts.SelectMany(c => c.Questions.Select(q => (c, q)));
}
