using SleepTime.Bench.Datasets.Memory;

namespace SleepTime.Bench.Datasets;

/// <summary>
/// Reads any data set <c>bench run</c> takes, recognising its format from the file: the paper's stateful JSONL
/// (GSM-Symbolic, AIME, Multi-Query), or a JSON array in LongMemEval's or LoCoMo's published layout.
/// </summary>
public static class BenchDatasets
{
    public static BenchDataset Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, null, Directory.Exists(path) ? "is a folder, not a data set file." : "the file does not exist.");
        }

        if (!JsonArrayFile.StartsWithArray(path))
        {
            return StatefulDatasetReader.Read(path);
        }

        var fields = JsonArrayFile.FirstElementFields(path);
        if (LongMemEvalReader.Recognises(fields))
        {
            return LongMemEvalReader.Read(path);
        }

        if (LoCoMoReader.Recognises(fields))
        {
            return LoCoMoReader.Read(path);
        }

        throw new DatasetFormatException(path, null, $"a JSON array, but neither LongMemEval (question_type, haystack_sessions, ...) nor LoCoMo (conversation, qa); its first element has {string.Join(", ", fields.Take(8))}.");
    }
}
