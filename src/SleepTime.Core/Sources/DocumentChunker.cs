namespace SleepTime;

/// <summary>Splits a long document into parts of at most a given size, at paragraph breaks, else line breaks, else anywhere.</summary>
public static class DocumentChunker
{
    public static IReadOnlyList<string> Split(string text, int maxCharacters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCharacters, 1);
        var parts = new List<string>();
        var rest = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        while (rest.Length > maxCharacters)
        {
            var cut = rest.LastIndexOf("\n\n", maxCharacters, StringComparison.Ordinal);
            if (cut <= 0)
            {
                cut = rest.LastIndexOf('\n', maxCharacters);
            }

            if (cut <= 0)
            {
                cut = maxCharacters;
            }

            parts.Add(rest[..cut].Trim());
            rest = rest[cut..].Trim();
        }

        if (rest.Length > 0)
        {
            parts.Add(rest);
        }

        return parts;
    }
}
