using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace SleepTime.Bench.Running;

/// <summary>
/// The results of a run as JSON Lines, appended one record at a time and flushed, so an interrupted run loses at
/// most the line being written. Opening an existing file loads every complete record; a torn last line is cut off.
/// Records are keyed (answers by question+arm+sample, sleeps by context+k+effort), so a rerun computes only what is
/// missing.
/// </summary>
public sealed class ResultsStore : IDisposable
{
    public const string FileName = "results.jsonl";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly ConcurrentDictionary<string, SleepRecord> sleeps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AnswerRecord> answers = new(StringComparer.Ordinal);
    private readonly Lock writeLock = new();
    private readonly FileStream stream;

    private ResultsStore(string path, FileStream stream)
    {
        Path = path;
        this.stream = stream;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, SleepRecord> Sleeps => sleeps;

    public IReadOnlyDictionary<string, AnswerRecord> Answers => answers;

    /// <summary>Opens (or creates) <c>results.jsonl</c> in <paramref name="folder"/>.</summary>
    public static ResultsStore Open(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, FileName);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var store = new ResultsStore(path, stream);
        try
        {
            store.Load();
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return store;
    }

    /// <summary>Reads every complete record of a results file without opening it for writing.</summary>
    public static IReadOnlyList<ResultRecord> ReadAll(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No results file at {path}.", path);
        }

        var records = new List<ResultRecord>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line) && Parse(line, path, number, tolerateTorn: false) is { } record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    public bool TryGetSleep(string key, out SleepRecord record) => sleeps.TryGetValue(key, out record!);

    public void Append(ResultRecord record)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(record, Json);
        lock (writeLock)
        {
            stream.Write(line);
            stream.WriteByte((byte)'\n');
            stream.Flush();
            Index(record);
        }
    }

    public void Dispose() => stream.Dispose();

    private void Load()
    {
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        var text = Encoding.UTF8.GetString(bytes);
        var complete = text.LastIndexOf('\n') + 1;
        var number = 0;
        foreach (var line in text[..complete].Split('\n'))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line) && Parse(line, Path, number, tolerateTorn: false) is { } record)
            {
                Index(record);
            }
        }

        // A run killed mid-write leaves a line without its newline: drop it, it is recomputed.
        stream.SetLength(Encoding.UTF8.GetByteCount(text[..complete]));
        stream.Seek(0, SeekOrigin.End);
    }

    private void Index(ResultRecord record)
    {
        switch (record)
        {
            case SleepRecord sleep:
                sleeps[sleep.Key] = sleep;
                break;
            case AnswerRecord answer:
                answers[answer.Key] = answer;
                break;
        }
    }

    private static ResultRecord? Parse(string line, string path, int number, bool tolerateTorn)
    {
        try
        {
            return JsonSerializer.Deserialize<ResultRecord>(line, Json);
        }
        catch (JsonException) when (tolerateTorn)
        {
            return null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw new Datasets.DatasetFormatException(path, number, $"not a results record ({ex.Message}).", ex);
        }
    }
}
