using System.Globalization;
using System.Text.Json;

namespace SleepTime.Bench.Datasets;

/// <summary>
/// Reads the paper's stateful JSONL formats from a path: Stateful GSM-Symbolic (context, question, answer ending in
/// <c>#### N</c>) or Stateful AIME (context, question, integer answer). The format is recognised from the first row's
/// fields; every row must then have the same ones. Rows that share a context become one <see cref="BenchContext"/>
/// with several questions (Multi-Query), keyed by <c>context_id</c> when present, else by identical context text.
/// An empty context is allowed (the paper keeps one-statement AIME problems that way); it groups with no other row.
/// </summary>
public static class StatefulDatasetReader
{
    public static BenchDataset Read(string path, string? name = null)
    {
        DatasetKind? kind = null;
        var groups = new Dictionary<string, (string Id, string Text, List<BenchQuestion> Questions)>(StringComparer.Ordinal);
        var order = new List<string>();

        foreach (var row in JsonLines.Read(path))
        {
            kind ??= Detect(row);
            var (contextField, questionField) = kind == DatasetKind.Gsm
                ? (StatefulFields.GsmContext, StatefulFields.GsmQuestion)
                : (StatefulFields.AimeContext, StatefulFields.AimeQuestion);

            var context = row.RequireString(contextField);
            var question = row.RequireString(questionField);
            if (string.IsNullOrWhiteSpace(question))
            {
                throw row.Error($"the field \"{questionField}\" is empty.");
            }

            var expected = kind == DatasetKind.Gsm ? GsmExpected(row) : AimeExpected(row);
            // An empty context (a one-statement AIME problem) is its own context, never grouped with other empty ones.
            var key = row.OptionalString(StatefulFields.ContextId) ?? (string.IsNullOrWhiteSpace(context) ? $"\u0000line {row.Line}" : context);
            if (!groups.TryGetValue(key, out var group))
            {
                var id = row.OptionalString(StatefulFields.ContextId) ?? $"c{order.Count + 1:D4}";
                group = (id, context, []);
                groups[key] = group;
                order.Add(key);
            }
            else if (!string.Equals(group.Text, context, StringComparison.Ordinal))
            {
                throw row.Error($"context_id \"{key}\" was used earlier with a different context text.");
            }

            var questionId = row.OptionalString("question_id") ?? $"{group.Id}/q{group.Questions.Count + 1}";
            group.Questions.Add(new BenchQuestion(questionId, question, expected));
        }

        if (kind is null)
        {
            throw new DatasetFormatException(path, null, "the file has no rows.");
        }

        var contexts = order.Select(k => groups[k]).Select(g => new BenchContext(g.Id, g.Text, g.Questions)).ToList();
        return new BenchDataset(name ?? Path.GetFileNameWithoutExtension(path), kind.Value, contexts);
    }

    private static DatasetKind Detect(JsonRow row)
    {
        if (row.Has(StatefulFields.GsmContext) || row.Has(StatefulFields.GsmQuestion))
        {
            return DatasetKind.Gsm;
        }

        if (row.Has(StatefulFields.AimeContext) || row.Has(StatefulFields.AimeQuestion))
        {
            return DatasetKind.Aime;
        }

        var hint = row.Has("question") || row.Has("problem")
            ? " It looks like a raw file: convert it first with `sleeptime bench convert`."
            : string.Empty;
        throw row.Error($"not a stateful data set: expected the fields \"{StatefulFields.GsmContext}\"/\"{StatefulFields.GsmQuestion}\" or \"{StatefulFields.AimeContext}\"/\"{StatefulFields.AimeQuestion}\".{hint}");
    }

    private static string GsmExpected(JsonRow row)
    {
        var answer = row.RequireString(StatefulFields.Answer);
        try
        {
            return ReferenceAnswer.FromGsmSolution(answer);
        }
        catch (FormatException ex)
        {
            throw row.Error(ex.Message);
        }
    }

    private static string AimeExpected(JsonRow row)
    {
        if (!row.Value.TryGetProperty(StatefulFields.Answer, out var answer))
        {
            throw row.Error($"the field \"{StatefulFields.Answer}\" is missing.");
        }

        long value;
        var ok = answer.ValueKind switch
        {
            JsonValueKind.Number => answer.TryGetInt64(out value),
            JsonValueKind.String => long.TryParse(answer.GetString()!.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value),
            _ => (value = 0) == 1,
        };
        if (!ok)
        {
            throw row.Error($"the AIME answer must be an integer, not {answer.GetRawText()}.");
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }
}
