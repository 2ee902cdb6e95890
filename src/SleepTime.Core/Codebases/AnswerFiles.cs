using System.Text.RegularExpressions;

namespace SleepTime;

/// <summary>Reads the file list out of a task answer: the lines under <c>FILES:</c>, or, without that line, every path-like word.</summary>
public static partial class AnswerFiles
{
    public static IReadOnlyList<string> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var lines = text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        var marker = Array.FindLastIndex(lines, l => FilesMarker().IsMatch(l));
        var candidates = marker >= 0
            ? lines.Skip(marker + 1).Select(Clean).Where(p => p is not null)
            : PathWord().Matches(text).Select(m => Clean(m.Value)).Where(p => p is not null && p.Contains('/', StringComparison.Ordinal));
        return candidates.Select(p => p!).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string? Clean(string line)
    {
        var word = line.Trim().TrimStart('-', '*', '+', '•', ' ', '\t');
        word = ListNumber().Replace(word, string.Empty).Trim().Trim('`', '"', '\'', '*', ',', ';').Trim();
        var space = word.IndexOfAny([' ', '\t', '(', ':']);
        word = (space > 0 ? word[..space] : word).Trim('`', '"', '\'', ',', ';').TrimEnd('.');
        while (word.StartsWith("./", StringComparison.Ordinal))
        {
            word = word[2..];
        }

        return word.Length > 0 && PathWord().IsMatch(word) && !word.Contains("..", StringComparison.Ordinal) ? word : null;
    }

    [GeneratedRegex(@"^\s*\**\s*FILES\s*:\**\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex FilesMarker();

    [GeneratedRegex(@"^[0-9]+[.)]\s*")]
    private static partial Regex ListNumber();

    [GeneratedRegex(@"[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.[A-Za-z0-9]+")]
    private static partial Regex PathWord();
}
