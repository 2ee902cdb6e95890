namespace SleepTime.Bench.Datasets;

/// <summary>A data file that cannot be read: names the file and, when it is about one row, its 1-based line number.</summary>
public sealed class DatasetFormatException : SleepTimeException
{
    public DatasetFormatException(string path, int? line, string message, Exception? inner = null)
        : base(line is null ? $"{path}: {message}" : $"{path}, line {line}: {message}", inner)
    {
        Path = path;
        Line = line;
    }

    public string Path { get; }

    public int? Line { get; }
}
