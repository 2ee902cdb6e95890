using System.Globalization;
using System.Text;

namespace SleepTime;

/// <summary>
/// Okapi BM25 over a small in-memory collection (k1 = 1.2, b = 0.75): the lexical fallback for archival memory and
/// conversation search. Terms are lower-cased runs of letters and digits.
/// </summary>
public sealed class Bm25Index<T>
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private readonly List<(T Item, Dictionary<string, int> Terms, int Length)> documents = [];
    private readonly Dictionary<string, int> documentFrequency = new(StringComparer.Ordinal);
    private readonly double averageLength;

    public Bm25Index(IEnumerable<T> items, Func<T, string> text)
    {
        long total = 0;
        foreach (var item in items)
        {
            var terms = Tokenize(text(item));
            var counts = terms.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            foreach (var term in counts.Keys)
            {
                documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
            }

            documents.Add((item, counts, terms.Count));
            total += terms.Count;
        }

        averageLength = documents.Count == 0 ? 0 : (double)total / documents.Count;
    }

    /// <summary>The items with a positive score, best first; ties keep insertion order.</summary>
    public IReadOnlyList<(T Item, double Score)> Search(string query, int limit)
    {
        var queryTerms = Tokenize(query).Distinct(StringComparer.Ordinal).ToList();
        if (queryTerms.Count == 0 || documents.Count == 0 || limit < 1)
        {
            return [];
        }

        var scored = new List<(T Item, double Score, int Order)>();
        for (var d = 0; d < documents.Count; d++)
        {
            var (item, terms, length) = documents[d];
            double score = 0;
            foreach (var term in queryTerms)
            {
                if (!terms.TryGetValue(term, out var frequency))
                {
                    continue;
                }

                var n = documentFrequency[term];
                var idf = Math.Log(1 + ((documents.Count - n + 0.5) / (n + 0.5)));
                score += idf * frequency * (K1 + 1) / (frequency + (K1 * (1 - B + (B * length / averageLength))));
            }

            if (score > 0)
            {
                scored.Add((item, score, d));
            }
        }

        return scored.OrderByDescending(s => s.Score).ThenBy(s => s.Order).Take(limit).Select(s => (s.Item, s.Score)).ToList();
    }

    public static List<string> Tokenize(string text)
    {
        var terms = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }
            else if (current.Length > 0)
            {
                terms.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            terms.Add(current.ToString());
        }

        return terms;
    }
}
