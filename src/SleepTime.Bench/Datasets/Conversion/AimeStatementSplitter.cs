using System.Text;

namespace SleepTime.Bench.Datasets.Conversion;

/// <summary>
/// Splits an AIME problem into statements: a statement ends at '.', '?' or '!' followed by white space or the end,
/// never inside math (<c>$…$</c>, <c>$$…$$</c>, <c>\[…\]</c>, <c>\(…\)</c>); an Asymptote diagram
/// (<c>[asy]…[/asy]</c>) is a statement of its own. The query is the last statement that is not a diagram, or the
/// one an override names; every other statement, in order, is the context (empty for a one-statement problem).
/// </summary>
public static partial class AimeStatementSplitter
{
    private const string AsyOpen = "[asy]";
    private const string AsyClose = "[/asy]";

    public static IReadOnlyList<string> Statements(string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var statements = new List<string>();
        var current = new StringBuilder();
        var inDollar = false;
        var inDisplay = false;

        void Cut()
        {
            var text = current.ToString().Trim();
            if (text.Length > 0)
            {
                statements.Add(text);
            }

            current.Clear();
        }

        for (var i = 0; i < problem.Length; i++)
        {
            var c = problem[i];
            if (!inDollar && !inDisplay && string.CompareOrdinal(problem, i, AsyOpen, 0, AsyOpen.Length) == 0)
            {
                Cut();
                var close = problem.IndexOf(AsyClose, i, StringComparison.Ordinal);
                var end = close < 0 ? problem.Length : close + AsyClose.Length;
                current.Append(problem, i, end - i);
                Cut();
                i = end - 1;
                continue;
            }

            current.Append(c);
            if (c == '\\' && i + 1 < problem.Length)
            {
                var next = problem[i + 1];
                if (!inDollar && next is '[' or '(')
                {
                    inDisplay = true;
                }
                else if (inDisplay && next is ']' or ')')
                {
                    inDisplay = false;
                }

                current.Append(next);
                i++;
                continue;
            }

            if (c == '$' && !inDisplay)
            {
                if (i + 1 < problem.Length && problem[i + 1] == '$')
                {
                    current.Append('$');
                    i++;
                }

                inDollar = !inDollar;
                continue;
            }

            if (!inDollar && !inDisplay && c is '.' or '?' or '!' && (i + 1 == problem.Length || char.IsWhiteSpace(problem[i + 1])))
            {
                Cut();
            }
        }

        Cut();
        return statements;
    }

    /// <summary>
    /// Splits <paramref name="problem"/>; <paramref name="questionStatement"/> picks the query's statement (0-based,
    /// negative counts from the end) instead of the last non-diagram one.
    /// </summary>
    public static StatefulSplit Split(string problem, int? questionStatement = null)
    {
        var statements = Statements(problem);
        if (statements.Count == 0)
        {
            throw new FormatException("the problem is empty.");
        }

        int index;
        if (questionStatement is { } chosen)
        {
            index = chosen < 0 ? statements.Count + chosen : chosen;
            if (index < 0 || index >= statements.Count)
            {
                throw new FormatException($"the override names statement {chosen}, but the problem has {statements.Count} statements.");
            }
        }
        else
        {
            index = statements.Select((s, i) => (s, i)).Last(p => !IsDiagram(p.s)).i;
        }

        // A one-statement problem keeps an empty context, as the paper's Stateful AIME does.
        var context = statements.Where((_, i) => i != index);
        return new StatefulSplit(string.Join(" ", context), statements[index]);
    }

    /// <summary>Splits with the query given as text: it must occur in the problem, and the rest is the context.</summary>
    public static StatefulSplit SplitAt(string problem, string question)
    {
        var at = problem.IndexOf(question, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new FormatException("the override's question text does not occur in the problem.");
        }

        var context = (problem[..at].Trim() + " " + problem[(at + question.Length)..].Trim()).Trim();
        return new StatefulSplit(context, question.Trim());
    }

    /// <summary>
    /// Whether a query reads as a question: it asks ('?') or instructs (find, compute, determine, what, how, ...).
    /// A query such as <c>\end{equation*}</c> or "Graph" means the split went wrong and needs an override.
    /// </summary>
    public static bool LooksLikeQuestion(string query) => query.Contains('?', StringComparison.Ordinal) || QuestionWord().IsMatch(query);

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(find|compute|determine|what|how|which|evaluate|calculate|express|give|prove|show|list|estimate|solve)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex QuestionWord();

    private static bool IsDiagram(string statement) => statement.StartsWith(AsyOpen, StringComparison.Ordinal);
}
