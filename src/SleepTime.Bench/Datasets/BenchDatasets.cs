namespace SleepTime.Bench.Datasets;

/// <summary>Reads any data set <c>bench run</c> takes, recognising its format from the file.</summary>
public static class BenchDatasets
{
    public static BenchDataset Read(string path) => StatefulDatasetReader.Read(path);
}
