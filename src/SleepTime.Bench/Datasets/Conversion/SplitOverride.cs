using System.Text.Json;
using System.Text.Json.Serialization;

namespace SleepTime.Bench.Datasets.Conversion;

/// <summary>
/// Where the query of one problem is when it is not the last statement: <c>question_statement</c> (0-based index,
/// negative from the end) or <c>question</c> (the exact text of the query).
/// </summary>
public sealed record SplitOverride(
    [property: JsonPropertyName("question_statement")] int? QuestionStatement,
    [property: JsonPropertyName("question")] string? Question)
{
    /// <summary>
    /// Reads an overrides file: a JSON object keyed by the row's <c>id</c> (or its 1-based line number when the row
    /// has no id), e.g. <c>{"61": {"question_statement": -2}, "7": {"question": "Find m+n."}}</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, SplitOverride> ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, null, "the overrides file does not exist.");
        }

        Dictionary<string, SplitOverride>? overrides;
        try
        {
            overrides = JsonSerializer.Deserialize<Dictionary<string, SplitOverride>>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new DatasetFormatException(path, (int?)ex.LineNumber + 1, $"not a valid overrides file ({ex.Message}). Expected {{\"<id>\": {{\"question_statement\": -2}}}}.", ex);
        }

        if (overrides is null)
        {
            throw new DatasetFormatException(path, null, "the overrides file is empty.");
        }

        foreach (var (key, value) in overrides)
        {
            if (value is null || (value.QuestionStatement is null) == (value.Question is null))
            {
                throw new DatasetFormatException(path, null, $"the override for \"{key}\" must set exactly one of \"question_statement\" or \"question\".");
            }
        }

        return overrides;
    }
}
