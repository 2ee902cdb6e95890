using System.Text.Json;

namespace SleepTime.Bench.Datasets.Memory;

/// <summary>
/// Streams the elements of a file holding one top-level JSON array, one element at a time, so a data set of
/// hundreds of megabytes (LongMemEval_m) never sits in memory as one document.
/// </summary>
internal static class JsonArrayFile
{
    public static IEnumerable<(int Index, T Item)> Read<T>(string path, JsonSerializerOptions options)
    {
        using var stream = File.OpenRead(path);
        var index = 0;
        IEnumerable<T?> items;
        try
        {
            items = JsonSerializer.DeserializeAsyncEnumerable<T>(stream, options).ToBlockingEnumerable();
        }
        catch (JsonException ex)
        {
            throw new DatasetFormatException(path, (int?)ex.LineNumber + 1, $"not valid JSON ({ex.Message}).", ex);
        }

        using var enumerator = items.GetEnumerator();
        while (true)
        {
            T? item;
            try
            {
                if (!enumerator.MoveNext())
                {
                    yield break;
                }

                item = enumerator.Current;
            }
            catch (JsonException ex)
            {
                throw new DatasetFormatException(path, (int?)ex.LineNumber + 1, $"element {index + 1} is not in the expected shape ({ex.Message}).", ex);
            }

            if (item is null)
            {
                throw new DatasetFormatException(path, null, $"element {index + 1} is null.");
            }

            yield return (index++, item);
        }
    }

    /// <summary>Whether the file's first non-blank character opens a JSON array (the memory benchmarks) rather than a JSONL object.</summary>
    public static bool StartsWithArray(string path)
    {
        using var reader = new StreamReader(path);
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (!char.IsWhiteSpace((char)c) && c != '\uFEFF')
            {
                return c == '[';
            }
        }

        return false;
    }

    /// <summary>The property names of the first element (read with a bounded look-ahead), to tell the formats apart.</summary>
    public static IReadOnlySet<string> FirstElementFields(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[64 * 1024];
        var read = stream.Read(buffer);
        var reader = new Utf8JsonReader(buffer.AsSpan(0, read), isFinalBlock: read < buffer.Length, state: default);
        var fields = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 2 && reader.TokenType == JsonTokenType.PropertyName)
                {
                    fields.Add(reader.GetString()!);
                }
                else if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }
            }
        }
        catch (JsonException)
        {
            // The look-ahead ended inside the element: the fields seen so far are enough to tell the format.
        }

        return fields;
    }
}
