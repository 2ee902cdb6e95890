namespace SleepTime.Bench.Datasets.Memory;

/// <summary>Which data set kinds are the memory benchmarks: free-text answers, model-judged, with per-category metrics.</summary>
public static class MemoryKinds
{
    public static bool IsMemory(DatasetKind kind) => kind is DatasetKind.LongMemEval or DatasetKind.LoCoMo;

    public static bool IsMemory(string kind) => Enum.TryParse<DatasetKind>(kind, ignoreCase: true, out var parsed) && IsMemory(parsed);
}
