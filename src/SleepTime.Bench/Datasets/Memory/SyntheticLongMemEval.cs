using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SleepTime.Bench.Datasets.Memory;

/// <summary>
/// Writes a LongMemEval-shaped file of made-up chat histories, for measuring the harness at the benchmark's scale
/// (longmemeval_s: 500 questions, about 115k tokens of history each) without the real file. Each question's history
/// is dated sessions of user and assistant turns of seeded filler text, with one planted fact the question asks
/// about; question types cycle through LongMemEval's six. Written as a stream, so any size fits in memory.
/// </summary>
public static class SyntheticLongMemEval
{
    /// <summary>About how many characters make one token of this English-like filler (o200k).</summary>
    public const double CharactersPerToken = 5.8;

    private static readonly string[] Types = ["single-session-user", "single-session-assistant", "single-session-preference", "multi-session", "temporal-reasoning", "knowledge-update"];

    private static readonly string[] Words =
    [
        "garden", "weekend", "recipe", "train", "meeting", "coffee", "project", "walk", "book", "music", "market", "friend",
        "holiday", "bicycle", "kitchen", "report", "movie", "river", "museum", "lesson", "budget", "phone", "weather", "dinner",
        "planned", "finished", "visited", "bought", "cooked", "watched", "started", "moved", "called", "tried", "booked", "fixed",
        "quickly", "later", "again", "together", "early", "finally", "nearby", "usually", "almost", "really", "maybe", "soon",
    ];

    private static readonly string[] Things = ["colour", "dish", "city", "sport", "author", "flower", "band", "drink", "game", "season"];

    private static readonly string[] Values = ["teal", "paella", "Kyoto", "rowing", "Le Guin", "peonies", "Wilco", "chai", "go", "autumn", "amber", "ramen", "Quito", "fencing"];

    public static void Write(string path, int seed, int questions, int contextTokens)
    {
        if (questions < 1 || contextTokens < 100)
        {
            throw new SleepTimeValidationException("questions", "Need at least 1 question and 100 context tokens.");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartArray();
        var targetChars = (int)(contextTokens * CharactersPerToken);
        for (var q = 0; q < questions; q++)
        {
            WriteQuestion(json, new Random(HashCode.Combine(seed, q)), q, targetChars);
            if (q % 8 == 7)
            {
                json.Flush();
            }
        }

        json.WriteEndArray();
    }

    private static void WriteQuestion(Utf8JsonWriter json, Random random, int index, int targetChars)
    {
        var id = $"syn-{index + 1:D4}";
        var thing = Things[random.Next(Things.Length)];
        var value = Values[random.Next(Values.Length)];
        var start = new DateTime(2023, 1, 1, 9, 0, 0, DateTimeKind.Unspecified).AddDays(random.Next(60));
        var sessionChars = 6_000;
        var sessions = Math.Max(1, targetChars / sessionChars);
        var planted = random.Next(sessions);

        json.WriteStartObject();
        json.WriteString("question_id", id);
        json.WriteString("question_type", Types[index % Types.Length]);
        json.WriteString("question", $"What is my favourite {thing}?");
        json.WriteString("answer", value);
        json.WriteString("question_date", Date(start.AddDays(sessions + 1)));
        json.WriteStartArray("haystack_session_ids");
        for (var s = 0; s < sessions; s++)
        {
            json.WriteStringValue($"{id}-s{s + 1}");
        }

        json.WriteEndArray();
        json.WriteStartArray("haystack_dates");
        for (var s = 0; s < sessions; s++)
        {
            json.WriteStringValue(Date(start.AddDays(s)));
        }

        json.WriteEndArray();
        json.WriteStartArray("haystack_sessions");
        var text = new StringBuilder();
        for (var s = 0; s < sessions; s++)
        {
            json.WriteStartArray();
            var written = 0;
            var turn = 0;
            while (written < sessionChars)
            {
                text.Clear();
                if (s == planted && turn == 0)
                {
                    text.Append("By the way, my favourite ").Append(thing).Append(" is ").Append(value).Append(". ");
                }

                var words = 40 + random.Next(80);
                for (var w = 0; w < words; w++)
                {
                    text.Append(Words[random.Next(Words.Length)]).Append(w % 12 == 11 ? ". " : " ");
                }

                json.WriteStartObject();
                json.WriteString("role", turn % 2 == 0 ? "user" : "assistant");
                json.WriteString("content", text.ToString().TrimEnd());
                if (s == planted && turn == 0)
                {
                    json.WriteBoolean("has_answer", true);
                }

                json.WriteEndObject();
                written += text.Length;
                turn++;
            }

            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteStartArray("answer_session_ids");
        json.WriteStringValue($"{id}-s{planted + 1}");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string Date(DateTime date) => date.ToString("yyyy/MM/dd (ddd) HH:mm", CultureInfo.InvariantCulture);
}
