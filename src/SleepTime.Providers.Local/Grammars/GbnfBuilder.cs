using System.Text;

namespace SleepTime.Providers.Local.Grammars;

/// <summary>
/// Collects named GBNF rules; names are made unique and legal (letters, digits and dashes). Shared rules
/// (<see cref="Ensure"/>) take names from <see cref="SharedNames"/>, which <see cref="Add"/> never hands out, so a tool
/// or property called "string" cannot shadow the rule for strings.
/// </summary>
internal sealed class GbnfBuilder
{
    public static readonly IReadOnlySet<string> SharedNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "root", "call", "text", "string", "char", "hex", "integer", "number", "digits", "boolean", "null",
    };

    private readonly List<(string Name, string Body)> rules = [];
    private readonly HashSet<string> names = [];

    /// <summary>Adds a rule named after <paramref name="hint"/>; returns its actual name.</summary>
    public string Add(string hint, string body)
    {
        var name = Unique(Legal(hint));
        rules.Add((name, body));
        return name;
    }

    /// <summary>Adds <paramref name="name"/> once (for shared rules such as <c>string</c>); returns the name.</summary>
    public string Ensure(string name, Func<string> body)
    {
        if (!SharedNames.Contains(name))
        {
            throw new ArgumentException($"'{name}' is not a shared rule name.", nameof(name));
        }

        if (names.Add(name))
        {
            rules.Add((name, body()));
        }

        return name;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (name, body) in rules)
        {
            text.Append(name).Append(" ::= ").Append(body).Append('\n');
        }

        return text.ToString();
    }

    private string Unique(string name)
    {
        var candidate = name;
        for (var i = 2; SharedNames.Contains(candidate) || !names.Add(candidate); i++)
        {
            candidate = $"{name}-{i}";
        }

        return candidate;
    }

    private static string Legal(string hint)
    {
        var text = new StringBuilder(hint.Length);
        foreach (var c in hint)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }

        var legal = text.ToString().Trim('-');
        return legal.Length == 0 ? "rule" : legal;
    }
}
