using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SleepTime.Bench.Datasets.Memory;

/// <summary>
/// Reads LongMemEval (<c>longmemeval_s.json</c>, <c>_m</c>, <c>_oracle</c>: one JSON array of questions, each with its
/// own chat history). Each question becomes one conversation context (its <c>haystack_sessions</c>, rendered session
/// by session with their dates) with one question, prefixed by the date it is asked on, as the benchmark's reference
/// prompt does. The category is the <c>question_type</c>, with <c>_abs</c> question ids marked as abstention.
/// </summary>
public static class LongMemEvalReader
{
    public const string Abstention = "abstention";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static bool Recognises(IReadOnlySet<string> fields) => fields.Contains("question_type") || fields.Contains("haystack_sessions");

    public static BenchDataset Read(string path, string? name = null)
    {
        var contexts = new List<BenchContext>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, item) in JsonArrayFile.Read<Item>(path, Json))
        {
            string Where() => $"question {index + 1}" + (item.QuestionId is { } id ? $" (\"{id}\")" : string.Empty);
            if (string.IsNullOrWhiteSpace(item.QuestionId) || string.IsNullOrWhiteSpace(item.Question) || item.Answer is not { } answer || item.HaystackSessions is null)
            {
                throw new DatasetFormatException(path, null, $"{Where()} lacks question_id, question, answer or haystack_sessions: is this a LongMemEval file?");
            }

            if (!ids.Add(item.QuestionId))
            {
                throw new DatasetFormatException(path, null, $"{Where()}: question_id \"{item.QuestionId}\" occurs twice.");
            }

            var text = Render(item);
            var question = item.QuestionDate is { Length: > 0 } date ? $"Current date: {date}\nQuestion: {item.Question}" : item.Question;
            var category = item.QuestionId.EndsWith("_abs", StringComparison.Ordinal) ? Abstention : item.QuestionType ?? "unknown";
            contexts.Add(new BenchContext(item.QuestionId, text, [new BenchQuestion(item.QuestionId, question, AnswerText(answer)) { Category = category }]));
        }

        if (contexts.Count == 0)
        {
            throw new DatasetFormatException(path, null, "the file has no questions.");
        }

        return new BenchDataset(name ?? Path.GetFileNameWithoutExtension(path), DatasetKind.LongMemEval, contexts);
    }

    private static string Render(Item item)
    {
        // Sized up front: a 100k-token history would otherwise be copied at every doubling of the builder.
        var capacity = item.HaystackSessions!.Sum(session => 64 + (session?.Sum(t => (t.Content?.Length ?? 0) + 16) ?? 0));
        var text = new StringBuilder(capacity);
        for (var s = 0; s < item.HaystackSessions!.Count; s++)
        {
            var date = item.HaystackDates is { } dates && s < dates.Count ? $" ({dates[s]})" : string.Empty;
            var id = item.HaystackSessionIds is { } sessionIds && s < sessionIds.Count ? sessionIds[s] : (s + 1).ToString(CultureInfo.InvariantCulture);
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append("Session ").Append(id).Append(date).Append(":\n");
            foreach (var turn in item.HaystackSessions[s] ?? [])
            {
                text.Append(turn.Role ?? "user").Append(": ").Append(turn.Content).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string AnswerText(JsonElement answer) => answer.ValueKind == JsonValueKind.String ? answer.GetString()! : answer.GetRawText();

    private sealed record Turn(string? Role, string? Content);

    private sealed record Item(
        string? QuestionId,
        string? QuestionType,
        string? Question,
        JsonElement? Answer,
        string? QuestionDate,
        [property: JsonPropertyName("haystack_session_ids")] IReadOnlyList<string>? HaystackSessionIds,
        IReadOnlyList<string>? HaystackDates,
        IReadOnlyList<IReadOnlyList<Turn>?>? HaystackSessions,
        IReadOnlyList<string>? AnswerSessionIds);
}
