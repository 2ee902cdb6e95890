namespace SleepTime.Server;

/// <summary>A line diff by longest common subsequence; learned contexts are small enough for the quadratic table.</summary>
internal static class LineDiff
{
    private const int MaxLines = 4_000;

    public static IReadOnlyList<DiffLine> Compute(string older, string newer)
    {
        var a = older.Split('\n');
        var b = newer.Split('\n');
        if ((long)a.Length * b.Length > (long)MaxLines * MaxLines)
        {
            return [.. a.Select(l => new DiffLine("-", l)), .. b.Select(l => new DiffLine("+", l))];
        }

        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var lines = new List<DiffLine>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                lines.Add(new DiffLine(" ", a[x++]));
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                lines.Add(new DiffLine("-", a[x++]));
            }
            else
            {
                lines.Add(new DiffLine("+", b[y++]));
            }
        }

        lines.AddRange(a.Skip(x).Select(l => new DiffLine("-", l)));
        lines.AddRange(b.Skip(y).Select(l => new DiffLine("+", l)));
        return lines;
    }
}
