using System.Text.RegularExpressions;

namespace SleepTime.Bench.Datasets.Conversion;

/// <summary>
/// Splits a GSM-Symbolic question into context and query.
/// <para>
/// <see cref="SplitPaper"/> is exactly the paper's rule: split on every '.', trim and drop empty pieces, the last
/// piece is the query, the rest joined with ". " plus a final "." is the context.
/// </para>
/// <para>
/// <see cref="SplitRepaired"/> fixes the rule's known defects: it splits only at sentence ends ('.', '?', '!'
/// followed by a space or the end), so decimals ("$0.7") and abbreviations ("Ms.", "a.m.") stay whole; the query
/// starts at the last sentence ending in '?' (with whatever follows it); and a query that starts with an instruction
/// ("Round to the nearest dollar.", "Give your answer in cents.") takes the sentence before it along.
/// </para>
/// </summary>
public static partial class GsmSymbolicSplitter
{
    private static readonly string[] Abbreviations = ["Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Prof", "vs", "etc", "a.m", "p.m", "e.g", "i.e", "No", "approx"];

    private static readonly string[] InstructionStarts =
        ["Round", "Give", "Express", "Answer", "Write", "Note", "Assume", "Please", "Report", "Show", "Use", "Ignore", "Provide", "Enter"];

    public static StatefulSplit Split(string question, bool repair) => repair ? SplitRepaired(question) : SplitPaper(question);

    public static StatefulSplit SplitPaper(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var pieces = question.Split('.').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        if (pieces.Count < 2)
        {
            throw new FormatException("the question has fewer than two '.'-separated pieces, so there is no context to split off.");
        }

        return new StatefulSplit(string.Join(". ", pieces[..^1]) + ".", pieces[^1]);
    }

    public static StatefulSplit SplitRepaired(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var sentences = Sentences(question);
        if (sentences.Count < 2)
        {
            throw new FormatException("the question is a single sentence, so there is no context to split off.");
        }

        var start = sentences.FindLastIndex(s => s.EndsWith('?'));
        if (start < 0)
        {
            start = sentences.Count - 1;
        }

        while (start > 0 && IsInstruction(sentences[start]))
        {
            start--;
        }

        if (start == 0)
        {
            throw new FormatException("no sentence is left for the context once the query is taken.");
        }

        return new StatefulSplit(string.Join(" ", sentences[..start]), string.Join(" ", sentences[start..]));
    }

    /// <summary>Sentences with their end punctuation, split only at '.', '?' or '!' followed by white space or the end.</summary>
    internal static List<string> Sentences(string text)
    {
        var sentences = new List<string>();
        var begin = 0;
        foreach (Match end in SentenceEnd().Matches(text))
        {
            var cut = end.Index + 1;
            var candidate = text[begin..cut].Trim();
            if (text[end.Index] == '.' && EndsWithAbbreviation(candidate))
            {
                continue;
            }

            if (candidate.Length > 0)
            {
                sentences.Add(candidate);
            }

            begin = cut;
        }

        var rest = text[begin..].Trim();
        if (rest.Length > 0)
        {
            sentences.Add(rest);
        }

        return sentences;
    }

    private static bool EndsWithAbbreviation(string sentence)
    {
        var body = sentence[..^1];
        return Abbreviations.Any(a => body.EndsWith(a, StringComparison.Ordinal)
            && (body.Length == a.Length || !char.IsLetter(body[body.Length - a.Length - 1])));
    }

    private static bool IsInstruction(string sentence) =>
        !sentence.EndsWith('?') && InstructionStarts.Any(w => sentence.StartsWith(w + " ", StringComparison.Ordinal) || sentence.StartsWith(w + ",", StringComparison.Ordinal));

    [GeneratedRegex(@"[.?!](?=\s|$)")]
    private static partial Regex SentenceEnd();
}
