using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SleepTime.Bench.Datasets.Memory;

/// <summary>
/// Reads LoCoMo (<c>locomo10.json</c>: one JSON array of conversations between two speakers over many dated
/// sessions, each with its QA). Each conversation becomes one context with all its questions (hundreds per context:
/// the amortization case for sleep-time compute). Categories are named as LoCoMo numbers them: 1 multi-hop,
/// 2 temporal, 3 open-domain, 4 single-hop, 5 adversarial (whose reference is that the conversation does not say).
/// </summary>
public static class LoCoMoReader
{
    public const string NotMentioned = "Not mentioned in the conversation.";

    private static readonly string[] CategoryNames = ["multi-hop", "temporal", "open-domain", "single-hop", "adversarial"];

    public static bool Recognises(IReadOnlySet<string> fields) => fields.Contains("qa") || fields.Contains("conversation");

    public static string CategoryName(int category) => category is >= 1 and <= 5 ? CategoryNames[category - 1] : $"category {category}";

    public static BenchDataset Read(string path, string? name = null)
    {
        var contexts = new List<BenchContext>();
        foreach (var (index, sample) in JsonArrayFile.Read<JsonElement>(path, JsonSerializerOptions.Default))
        {
            var id = sample.TryGetProperty("sample_id", out var sid) && sid.ValueKind == JsonValueKind.String ? sid.GetString()! : $"conv-{index + 1}";
            if (!sample.TryGetProperty("conversation", out var conversation) || conversation.ValueKind != JsonValueKind.Object
                || !sample.TryGetProperty("qa", out var qa) || qa.ValueKind != JsonValueKind.Array)
            {
                throw new DatasetFormatException(path, null, $"conversation {index + 1} (\"{id}\") lacks \"conversation\" or \"qa\": is this a LoCoMo file?");
            }

            var questions = new List<BenchQuestion>();
            var number = 0;
            foreach (var item in qa.EnumerateArray())
            {
                number++;
                var category = item.TryGetProperty("category", out var c) && c.TryGetInt32(out var n) ? n : 0;
                var question = item.TryGetProperty("question", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString()! : throw new DatasetFormatException(path, null, $"{id}, question {number}: no \"question\".");
                var expected = item.TryGetProperty("answer", out var a) && a.ValueKind is not JsonValueKind.Null
                    ? (a.ValueKind == JsonValueKind.String ? a.GetString()! : a.GetRawText())
                    : category == 5 ? NotMentioned : throw new DatasetFormatException(path, null, $"{id}, question {number}: no \"answer\".");
                questions.Add(new BenchQuestion($"{id}/qa{number}", question, category == 5 ? NotMentioned : expected) { Category = CategoryName(category) });
            }

            if (questions.Count == 0)
            {
                continue;
            }

            contexts.Add(new BenchContext(id, Render(conversation), questions));
        }

        if (contexts.Count == 0)
        {
            throw new DatasetFormatException(path, null, "the file has no conversation with questions.");
        }

        return new BenchDataset(name ?? Path.GetFileNameWithoutExtension(path), DatasetKind.LoCoMo, contexts);
    }

    private static string Render(JsonElement conversation)
    {
        string? Get(string field) => conversation.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var text = new StringBuilder();
        if (Get("speaker_a") is { } a && Get("speaker_b") is { } b)
        {
            text.Append("Conversation between ").Append(a).Append(" and ").Append(b).Append(".\n");
        }

        var sessions = conversation.EnumerateObject()
            .Select(p => (p, number: p.Name.StartsWith("session_", StringComparison.Ordinal) && int.TryParse(p.Name["session_".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1))
            .Where(x => x.number > 0 && x.p.Value.ValueKind == JsonValueKind.Array)
            .OrderBy(x => x.number);
        foreach (var (session, number) in sessions)
        {
            text.Append("\nSession ").Append(number.ToString(CultureInfo.InvariantCulture));
            if (Get($"session_{number}_date_time") is { } when)
            {
                text.Append(" (").Append(when).Append(')');
            }

            text.Append(":\n");
            foreach (var turn in session.Value.EnumerateArray())
            {
                string? Field(string f) => turn.TryGetProperty(f, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                text.Append(Field("speaker") ?? "?").Append(": ").Append(Field("text"));
                if (Field("blip_caption") is { } caption)
                {
                    text.Append(" [shares an image: ").Append(caption).Append(']');
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }
}
