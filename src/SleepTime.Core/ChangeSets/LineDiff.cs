using System.Text;

namespace SleepTime;

/// <summary>A unified line diff (<c>diff -u</c> shape, 3 lines of context) from a longest-common-subsequence alignment.</summary>
public static class LineDiff
{
    private const int Context = 3;

    // Above this many table cells (4 bytes each) the alignment gives up and shows a whole replacement instead.
    private const long MaxCells = 4_000_000;

    /// <summary>Every line of both texts in order, marked <c>' '</c> (kept), <c>'-'</c> (removed) or <c>'+'</c> (added).</summary>
    public static IReadOnlyList<(char Kind, string Text)> Compare(string before, string after) =>
        Align(BlockText.Lines(before), BlockText.Lines(after)).Select(o => (o.Kind, o.Text)).ToList();

    public static string Unified(string before, string after, string label)
    {
        var a = BlockText.Lines(before);
        var b = BlockText.Lines(after);
        var ops = Align(a, b);
        if (ops.All(o => o.Kind == ' '))
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        builder.Append("--- a/").Append(label).Append('\n').Append("+++ b/").Append(label).Append('\n');

        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ')
            {
                i++;
                continue;
            }

            // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change that is close enough.
            var start = Math.Max(0, i - Context);
            var end = i;
            while (end < ops.Count)
            {
                if (ops[end].Kind != ' ')
                {
                    end++;
                    continue;
                }

                var nextChange = end;
                while (nextChange < ops.Count && ops[nextChange].Kind == ' ')
                {
                    nextChange++;
                }

                if (nextChange < ops.Count && nextChange - end <= 2 * Context)
                {
                    end = nextChange;
                    continue;
                }

                end = Math.Min(ops.Count, end + Context);
                break;
            }

            var hunk = ops.GetRange(start, end - start);
            var oldStart = hunk.Min(o => o.OldIndex);
            var newStart = hunk.Min(o => o.NewIndex);
            var oldCount = hunk.Count(o => o.Kind != '+');
            var newCount = hunk.Count(o => o.Kind != '-');
            builder.Append("@@ -").Append(Range(oldStart, oldCount)).Append(" +").Append(Range(newStart, newCount)).Append(" @@\n");
            foreach (var op in hunk)
            {
                builder.Append(op.Kind).Append(op.Text).Append('\n');
            }

            i = end;
        }

        return builder.ToString();
    }

    private static string Range(int startIndex, int count) =>
        count == 0 ? $"{startIndex},0" : count == 1 ? $"{startIndex + 1}" : $"{startIndex + 1},{count}";

    private readonly record struct Op(char Kind, string Text, int OldIndex, int NewIndex);

    private static List<Op> Align(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if ((long)(a.Count + 1) * (b.Count + 1) > MaxCells)
        {
            return [.. a.Select((line, i) => new Op('-', line, i, 0)), .. b.Select((line, j) => new Op('+', line, a.Count, j))];
        }

        // Blocks and learned contexts are small (thousands of characters), so the quadratic table is cheap.
        var lcs = new int[a.Count + 1, b.Count + 1];
        for (var x = a.Count - 1; x >= 0; x--)
        {
            for (var y = b.Count - 1; y >= 0; y--)
            {
                lcs[x, y] = string.Equals(a[x], b[y], StringComparison.Ordinal)
                    ? lcs[x + 1, y + 1] + 1
                    : Math.Max(lcs[x + 1, y], lcs[x, y + 1]);
            }
        }

        var ops = new List<Op>(a.Count + b.Count);
        int i = 0, j = 0;
        while (i < a.Count || j < b.Count)
        {
            if (i < a.Count && j < b.Count && string.Equals(a[i], b[j], StringComparison.Ordinal))
            {
                ops.Add(new Op(' ', a[i], i++, j++));
            }
            else if (j < b.Count && (i == a.Count || lcs[i, j + 1] >= lcs[i + 1, j]))
            {
                ops.Add(new Op('+', b[j], i, j++));
            }
            else
            {
                ops.Add(new Op('-', a[i], i++, j));
            }
        }

        // Show removals before additions within a change, as diff -u does.
        for (var k = 1; k < ops.Count; k++)
        {
            for (var m = k; m > 0 && ops[m].Kind == '-' && ops[m - 1].Kind == '+'; m--)
            {
                (ops[m - 1], ops[m]) = (ops[m], ops[m - 1]);
            }
        }

        return ops;
    }
}
