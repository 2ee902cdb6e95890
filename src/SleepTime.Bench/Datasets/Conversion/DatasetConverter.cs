using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SleepTime.Bench.Datasets.Conversion;

/// <summary>Converts raw source files into the paper's stateful JSONL formats.</summary>
public static class DatasetConverter
{
    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Raw GSM-Symbolic (<c>question</c>, <c>answer</c>; <c>id</c> and <c>instance</c> kept when present) to Stateful
    /// GSM-Symbolic. <paramref name="repair"/> selects <see cref="GsmSymbolicSplitter.SplitRepaired"/> instead of the
    /// paper's exact rule.
    /// </summary>
    public static ConversionResult ConvertGsmSymbolic(string input, string output, bool repair)
    {
        var rows = new List<Dictionary<string, object?>>();
        var skipped = new List<string>();
        foreach (var row in JsonLines.Read(input))
        {
            var question = row.RequireString("question");
            var answer = row.RequireString("answer");
            try
            {
                ReferenceAnswer.FromGsmSolution(answer);
            }
            catch (FormatException ex)
            {
                throw row.Error(ex.Message);
            }

            StatefulSplit split;
            try
            {
                split = GsmSymbolicSplitter.Split(question, repair);
            }
            catch (FormatException ex)
            {
                skipped.Add($"line {row.Line}: {ex.Message}");
                continue;
            }

            var converted = new Dictionary<string, object?>
            {
                [StatefulFields.GsmContext] = split.Context,
                [StatefulFields.GsmQuestion] = split.Question,
                [StatefulFields.Answer] = answer,
            };
            CopyIfPresent(row, converted, "id", "instance");
            rows.Add(converted);
        }

        return Write(input, output, rows, skipped);
    }

    /// <summary>
    /// Raw AIME to Stateful AIME. Reads <c>problem</c> (or <c>question</c>) and <c>answer</c> (a string such as "025"
    /// in the 2024 file, "70" in the 2025 one); <c>id</c> and <c>url</c> are kept when present.
    /// </summary>
    public static ConversionResult ConvertAime(string input, string output, IReadOnlyDictionary<string, SplitOverride>? overrides = null)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var skipped = new List<string>();
        var warnings = new List<string>();
        var rows = new List<Dictionary<string, object?>>();
        foreach (var row in JsonLines.Read(input))
        {
            var problem = row.OptionalString("problem") ?? row.RequireString("question");
            var answerText = row.RequireString("answer").Trim();
            if (!int.TryParse(answerText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var answer))
            {
                throw row.Error($"the AIME answer \"{answerText}\" is not an integer.");
            }

            var key = row.OptionalString("id") ?? row.Line.ToString(CultureInfo.InvariantCulture);
            used.Add(key);
            StatefulSplit split;
            try
            {
                split = overrides is not null && overrides.TryGetValue(key, out var chosen)
                    ? (chosen.Question is { } text ? AimeStatementSplitter.SplitAt(problem, text) : AimeStatementSplitter.Split(problem, chosen.QuestionStatement))
                    : AimeStatementSplitter.Split(problem);
            }
            catch (FormatException ex) when (overrides?.ContainsKey(key) == true)
            {
                throw row.Error($"{ex.Message} (override \"{key}\")");
            }
            catch (FormatException ex)
            {
                skipped.Add($"line {row.Line} (key \"{key}\"): {ex.Message}");
                continue;
            }

            if (!AimeStatementSplitter.LooksLikeQuestion(split.Question))
            {
                warnings.Add($"line {row.Line} (key \"{key}\"): the query \"{Shorten(split.Question)}\" does not read as a question; name the right one with an override, e.g. {{\"{key}\": {{\"question_statement\": -2}}}} or {{\"{key}\": {{\"question\": \"exact text\"}}}}.");
            }

            var converted = new Dictionary<string, object?>
            {
                [StatefulFields.AimeContext] = split.Context,
                [StatefulFields.AimeQuestion] = split.Question,
                [StatefulFields.Answer] = answer,
            };
            CopyIfPresent(row, converted, "id", "url");
            rows.Add(converted);
        }

        var unused = overrides?.Keys.Where(k => !used.Contains(k)).ToList() ?? [];
        if (unused.Count > 0)
        {
            throw new DatasetFormatException(input, null, $"the overrides name rows that do not exist: {string.Join(", ", unused)} (keys are the row's id, or its line number when it has none).");
        }

        return Write(input, output, rows, skipped) with { Warnings = warnings };
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..57] + "..." : text;

    private static void CopyIfPresent(JsonRow row, Dictionary<string, object?> target, params string[] fields)
    {
        foreach (var field in fields)
        {
            if (row.Value.TryGetProperty(field, out var value))
            {
                target[field] = value;
            }
        }
    }

    private static ConversionResult Write(string input, string output, List<Dictionary<string, object?>> rows, List<string> skipped)
    {
        if (rows.Count == 0)
        {
            throw new DatasetFormatException(input, null, skipped.Count == 0 ? "the file has no rows." : $"no row could be converted; the first: {skipped[0]}");
        }

        JsonLines.Write(output, rows, Output);
        return new ConversionResult(rows.Count, skipped);
    }
}
