using System.Text.RegularExpressions;

namespace SleepTime.Providers.Local.InlineTools;

/// <summary>
/// The lookup a local model calls by writing a phrase in brackets, <c>[tray holds]</c>: the number the phrase
/// refers to in the text so far (the prompt, then the reply) is written after it. The phrase's last occurrence
/// counts (one inside brackets, a reference itself, does not); what follows it to the end of its line gives the
/// number: the one after the line's last <c>= </c> when it has one (a worked step, <c>Muffins sold: ... = 55</c>),
/// else the first number (a <c>$</c> before it dropped). A phrase not in the text, or with no number after it, is
/// not found and the model writes on by itself.
/// </summary>
public static partial class InlineLookup
{
    /// <summary>The longest phrase looked up; a longer bracket is not a call.</summary>
    public const int MaxPhraseLength = 80;

    /// <summary>The text to write after <paramref name="line"/> when it ends a call (a space and the number); otherwise null.</summary>
    /// <param name="line">The current line of the reply, up to and including its last character.</param>
    /// <param name="before">Everything before that line: the prompt and the reply's earlier lines.</param>
    public static string? ResultAfter(ReadOnlySpan<char> line, string before)
    {
        ArgumentNullException.ThrowIfNull(before);
        if (line.Length < 3 || line[^1] != ']')
        {
            return null;
        }

        var open = line.LastIndexOf('[');
        if (open < 0 || line.Length - open - 2 is < 1 or > MaxPhraseLength)
        {
            return null;
        }

        var phrase = line[(open + 1)..^1].ToString();
        return Resolve(phrase, before + line[..open].ToString()) is { } number ? " " + number : null;
    }

    /// <summary>The number <paramref name="phrase"/> refers to in <paramref name="text"/>, as written there; null when there is none.</summary>
    public static string? Resolve(string phrase, string text)
    {
        ArgumentNullException.ThrowIfNull(phrase);
        ArgumentNullException.ThrowIfNull(text);
        if (phrase.Length == 0 || phrase.Contains('[', StringComparison.Ordinal) || phrase.Contains('\n', StringComparison.Ordinal))
        {
            return null;
        }

        for (var at = text.LastIndexOf(phrase, StringComparison.Ordinal); at >= 0; at = at == 0 ? -1 : text.LastIndexOf(phrase, at - 1, StringComparison.Ordinal))
        {
            if (at > 0 && text[at - 1] == '[')
            {
                continue;
            }

            var rest = text.AsSpan(at + phrase.Length);
            var end = rest.IndexOf('\n');
            var segment = (end < 0 ? rest : rest[..end]).ToString();
            var equals = segment.LastIndexOf("= ", StringComparison.Ordinal);
            var match = Number().Match(segment, equals < 0 ? 0 : equals + 2);
            return match.Success ? match.Groups["number"].Value : null;
        }

        return null;
    }

    /// <summary><paramref name="text"/> without its references (<c>[tray holds] 20 * [trays] 9</c> is <c> 20 *  9</c>).</summary>
    public static string WithoutReferences(string text) => References().Replace(text, "");

    [GeneratedRegex(@"\[[^\]\n]*\]")]
    private static partial Regex References();

    [GeneratedRegex(@"(?<![\w.])\$?(?<number>-?\d+(?:\.\d+)?)")]
    private static partial Regex Number();
}
