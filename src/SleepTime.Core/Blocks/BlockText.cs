using System.Text;

namespace SleepTime;

/// <summary>Line handling shared by block rendering, edits and diffs: lines split on <c>\n</c>, <c>\r</c> dropped.</summary>
public static class BlockText
{
    public static IReadOnlyList<string> Lines(string value) =>
        value.Length == 0 ? [] : value.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    public static string Join(IEnumerable<string> lines) => string.Join('\n', lines);

    /// <summary>The value with 1-based line numbers, the way sleep-time agents see a block.</summary>
    public static string WithLineNumbers(string value)
    {
        var lines = Lines(value);
        if (lines.Count == 0)
        {
            return "(empty)";
        }

        var builder = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            builder.Append(i + 1).Append(": ").Append(lines[i]).Append('\n');
        }

        return builder.ToString().TrimEnd('\n');
    }

    /// <summary>How many times <paramref name="text"/> occurs in <paramref name="value"/> (non-overlapping).</summary>
    public static int CountOccurrences(string value, string text)
    {
        var count = 0;
        for (var at = value.IndexOf(text, StringComparison.Ordinal); at >= 0; at = value.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
