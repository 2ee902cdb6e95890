using System.Text;

namespace SleepTime.Bench.Judging;

/// <summary>
/// LoCoMo's token F1 between a reply and the reference: both lower-cased, punctuation and the articles a/an/the
/// removed, split on white space; F1 of the token multisets. Multi-hop references list several answers separated
/// by commas: each is matched to its best reply part and the F1s averaged. Adversarial questions score 1 when the
/// reply says the conversation does not tell. (LoCoMo also stems tokens with Porter's stemmer; this does not, so
/// inflected forms count as different words.)
/// </summary>
public static class TokenF1
{
    private static readonly string[] Articles = ["a", "an", "the"];

    public static double Score(string reply, string expected, string? category)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(expected);
        return category switch
        {
            "adversarial" => SaysNotMentioned(reply) ? 1 : 0,
            "multi-hop" => expected.Split(',').Select(part => reply.Split(',').Max(r => F1(r, part))).Average(),
            "open-domain" => F1(reply, expected.Split(';')[0]),
            _ => F1(reply, expected),
        };
    }

    public static double F1(string prediction, string reference)
    {
        var predicted = Tokens(prediction);
        var gold = Tokens(reference);
        if (predicted.Count == 0 || gold.Count == 0)
        {
            return predicted.Count == gold.Count ? 1 : 0;
        }

        var counts = gold.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var common = 0;
        foreach (var token in predicted)
        {
            if (counts.TryGetValue(token, out var left) && left > 0)
            {
                counts[token] = left - 1;
                common++;
            }
        }

        if (common == 0)
        {
            return 0;
        }

        var precision = (double)common / predicted.Count;
        var recall = (double)common / gold.Count;
        return 2 * precision * recall / (precision + recall);
    }

    public static bool SaysNotMentioned(string reply)
    {
        var text = reply.ToLowerInvariant();
        return text.Contains("not mentioned", StringComparison.Ordinal) || text.Contains("no information", StringComparison.Ordinal) || text.Contains("does not say", StringComparison.Ordinal);
    }

    public static IReadOnlyList<string> Tokens(string text)
    {
        var cleaned = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            cleaned.Append(char.IsPunctuation(c) || char.IsSymbol(c) ? ' ' : c);
        }

        return cleaned.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Where(t => !Articles.Contains(t)).ToList();
    }
}
