using System.Text.Json;

namespace SleepTime.Bench.Datasets;

/// <summary>One JSON object of a JSONL file and the line it came from.</summary>
public sealed record JsonRow(string Path, int Line, JsonElement Value)
{
    public string RequireString(string field)
    {
        if (!Value.TryGetProperty(field, out var element))
        {
            throw Error($"the field \"{field}\" is missing.");
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString()!,
            JsonValueKind.Number => element.GetRawText(),
            _ => throw Error($"the field \"{field}\" must be a string, not {element.ValueKind.ToString().ToLowerInvariant()}."),
        };
    }

    public string? OptionalString(string field) =>
        Value.TryGetProperty(field, out var element) && element.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? (element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText())
            : null;

    public bool Has(string field) => Value.TryGetProperty(field, out _);

    public DatasetFormatException Error(string message) => new(Path, Line, message);
}

/// <summary>Reads JSON Lines: one object per non-blank line, with errors that name the line.</summary>
public static class JsonLines
{
    public static IEnumerable<JsonRow> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, null, Directory.Exists(path) ? "is a folder, not a JSONL file." : "the file does not exist.");
        }

        return ReadExisting(path);
    }

    private static IEnumerable<JsonRow> ReadExisting(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement value;
            try
            {
                using var document = JsonDocument.Parse(line);
                value = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new DatasetFormatException(path, number, $"not valid JSON ({ex.Message}).", ex);
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new DatasetFormatException(path, number, $"expected a JSON object, found {value.ValueKind.ToString().ToLowerInvariant()}.");
            }

            yield return new JsonRow(path, number, value);
        }
    }

    /// <summary>Writes one object per line, UTF-8 without BOM, keeping non-ASCII text readable.</summary>
    public static void Write<T>(string path, IEnumerable<T> rows, JsonSerializerOptions options)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        foreach (var row in rows)
        {
            writer.Write(JsonSerializer.Serialize(row, options));
            writer.Write('\n');
        }
    }
}
