using System.Globalization;

namespace SleepTime.Providers.Local.Grammars;

/// <summary>
/// Checks a GBNF grammar in managed code before llama.cpp sees it: llama.cpp's parser returns no sampler for a bad
/// grammar, and LLamaSharp adds that missing sampler to its chain anyway, which kills the process (SIGSEGV).
/// </summary>
/// <remarks>
/// Accepts a strict subset of llama.cpp's syntax: rules <c>name ::= alternatives</c> (names of letters, digits and
/// dashes), string literals and character classes with the escapes <c>\n \r \t \\ \" \[ \] \xHH \uHHHH</c>, rule
/// references, groups, <c>.</c>, and the postfix operators <c>* + ?</c>; <c>#</c> comments. Beyond syntax it rejects
/// what llama.cpp rejects or loops on: a missing root, a rule defined twice, a reference to an undefined rule, left
/// recursion, empty character classes or reversed ranges, and a repetition of something that can match nothing.
/// </remarks>
internal static class GbnfValidator
{
    /// <summary>Throws unless <paramref name="grammar"/> is valid with start rule <paramref name="root"/>.</summary>
    /// <exception cref="InvalidGrammarException">The first problem found.</exception>
    public static void Validate(string grammar, string root = "root")
    {
        ArgumentNullException.ThrowIfNull(grammar);
        var rules = new Parser(grammar).ParseRules();
        if (!rules.ContainsKey(root))
        {
            throw new InvalidGrammarException($"The grammar has no '{root}' rule.");
        }

        foreach (var (name, body) in rules)
        {
            foreach (var reference in References(body))
            {
                if (!rules.ContainsKey(reference))
                {
                    throw new InvalidGrammarException($"Rule '{name}' refers to '{reference}', which is not defined.");
                }
            }
        }

        var nullable = NullableRules(rules);
        foreach (var (name, body) in rules)
        {
            CheckRepetitions(name, body, nullable);
        }

        CheckLeftRecursion(rules, nullable);
    }

    private abstract record Node;

    private sealed record Terminal(bool MatchesEmpty) : Node;

    private sealed record Reference(string Name) : Node;

    private sealed record Alternatives(IReadOnlyList<IReadOnlyList<Node>> Options) : Node;

    private sealed record Repeat(Node Inner, char Operator) : Node;

    private static IEnumerable<string> References(Node node) => node switch
    {
        Reference r => [r.Name],
        Alternatives a => a.Options.SelectMany(s => s).SelectMany(References),
        Repeat r => References(r.Inner),
        _ => [],
    };

    private static bool MatchesEmpty(Node node, IReadOnlySet<string> nullable) => node switch
    {
        Terminal t => t.MatchesEmpty,
        Reference r => nullable.Contains(r.Name),
        Alternatives a => a.Options.Any(sequence => sequence.All(n => MatchesEmpty(n, nullable))),
        Repeat r => r.Operator is '*' or '?' || MatchesEmpty(r.Inner, nullable),
        _ => false,
    };

    private static HashSet<string> NullableRules(Dictionary<string, Node> rules)
    {
        var nullable = new HashSet<string>();
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (name, body) in rules)
            {
                if (!nullable.Contains(name) && MatchesEmpty(body, nullable))
                {
                    changed = nullable.Add(name);
                }
            }
        }

        return nullable;
    }

    private static void CheckRepetitions(string rule, Node node, IReadOnlySet<string> nullable)
    {
        switch (node)
        {
            case Repeat { Operator: '*' or '+' } repeat when MatchesEmpty(repeat.Inner, nullable):
                throw new InvalidGrammarException($"Rule '{rule}' repeats ('{repeat.Operator}') something that can match nothing, which never ends.");
            case Repeat repeat:
                CheckRepetitions(rule, repeat.Inner, nullable);
                break;
            case Alternatives alternatives:
                foreach (var n in alternatives.Options.SelectMany(s => s))
                {
                    CheckRepetitions(rule, n, nullable);
                }

                break;
        }
    }

    /// <summary>Rules reachable at the left edge of <paramref name="node"/> (before anything that must consume input).</summary>
    private static IEnumerable<string> LeftEdge(Node node, IReadOnlySet<string> nullable)
    {
        switch (node)
        {
            case Reference r:
                yield return r.Name;
                break;
            case Repeat r:
                foreach (var name in LeftEdge(r.Inner, nullable))
                {
                    yield return name;
                }

                break;
            case Alternatives a:
                foreach (var sequence in a.Options)
                {
                    foreach (var element in sequence)
                    {
                        foreach (var name in LeftEdge(element, nullable))
                        {
                            yield return name;
                        }

                        if (!MatchesEmpty(element, nullable))
                        {
                            break;
                        }
                    }
                }

                break;
        }
    }

    private static void CheckLeftRecursion(Dictionary<string, Node> rules, IReadOnlySet<string> nullable)
    {
        var edges = rules.ToDictionary(r => r.Key, r => LeftEdge(r.Value, nullable).Distinct().ToList());
        var state = new Dictionary<string, int>(); // 1: on the path, 2: done
        foreach (var start in rules.Keys)
        {
            Visit(start, []);
        }

        void Visit(string name, List<string> path)
        {
            if (state.TryGetValue(name, out var s))
            {
                if (s == 1)
                {
                    var cycle = path[path.IndexOf(name)..].Append(name);
                    throw new InvalidGrammarException($"The grammar is left-recursive: {string.Join(" -> ", cycle)}.");
                }

                return;
            }

            state[name] = 1;
            path.Add(name);
            foreach (var next in edges[name])
            {
                Visit(next, path);
            }

            path.RemoveAt(path.Count - 1);
            state[name] = 2;
        }
    }

    private sealed class Parser(string text)
    {
        private int position;

        public Dictionary<string, Node> ParseRules()
        {
            var rules = new Dictionary<string, Node>(StringComparer.Ordinal);
            SkipSpace(newlines: true);
            while (position < text.Length)
            {
                var line = Line;
                var name = Name();
                SkipSpace(newlines: false);
                Expect("::=");
                SkipSpace(newlines: true);
                var body = Alternation(nested: false);
                if (!rules.TryAdd(name, body))
                {
                    throw Error($"rule '{name}' is defined twice", line);
                }

                if (position < text.Length && text[position] != '\n' && text[position] != '\r')
                {
                    throw Error($"unexpected '{text[position]}'");
                }

                SkipSpace(newlines: true);
            }

            return rules;
        }

        private int Line => text.AsSpan(0, position).Count('\n') + 1;

        private Alternatives Alternation(bool nested)
        {
            var options = new List<IReadOnlyList<Node>> { Sequence(nested) };
            while (position < text.Length && text[position] == '|')
            {
                position++;
                SkipSpace(newlines: true);
                options.Add(Sequence(nested));
            }

            return new Alternatives(options);
        }

        private List<Node> Sequence(bool nested)
        {
            var sequence = new List<Node>();
            while (position < text.Length)
            {
                var c = text[position];
                Node element;
                if (c == '"')
                {
                    element = StringLiteral();
                }
                else if (c == '[')
                {
                    element = CharacterClass();
                }
                else if (c == '.')
                {
                    position++;
                    element = new Terminal(MatchesEmpty: false);
                }
                else if (c == '(')
                {
                    position++;
                    SkipSpace(newlines: true);
                    element = Alternation(nested: true);
                    Expect(")");
                }
                else if (IsNameChar(c))
                {
                    var name = Name();
                    SkipSpace(newlines: false);
                    if (Peek("::="))
                    {
                        throw Error($"rule '{name}' starts before the previous one ended (put it on its own line)");
                    }

                    element = new Reference(name);
                }
                else if (c is '|' or ')' or '\n' or '\r')
                {
                    break;
                }
                else
                {
                    throw Error($"unexpected '{c}'");
                }

                SkipSpace(newlines: nested);
                while (position < text.Length && text[position] is '*' or '+' or '?')
                {
                    element = new Repeat(element, text[position]);
                    position++;
                    SkipSpace(newlines: nested);
                }

                if (position < text.Length && text[position] == '{')
                {
                    throw Error("repetition counts ({m,n}) are not supported here");
                }

                sequence.Add(element);
            }

            return sequence;
        }

        private Terminal StringLiteral()
        {
            position++;
            var length = 0;
            while (true)
            {
                if (position >= text.Length || text[position] is '\n' or '\r')
                {
                    throw Error("unterminated string literal");
                }

                if (text[position] == '"')
                {
                    position++;
                    break;
                }

                Character();
                length++;
            }

            SkipSpace(newlines: false);
            return new Terminal(MatchesEmpty: length == 0);
        }

        private Terminal CharacterClass()
        {
            position++;
            if (position < text.Length && text[position] == '^')
            {
                position++;
            }

            var items = 0;
            while (true)
            {
                if (position >= text.Length || text[position] is '\n' or '\r')
                {
                    throw Error("unterminated character class");
                }

                if (text[position] == ']')
                {
                    position++;
                    break;
                }

                var low = Character();
                if (position + 1 < text.Length && text[position] == '-' && text[position + 1] != ']')
                {
                    position++;
                    var high = Character();
                    if (high < low)
                    {
                        throw Error($"reversed range in a character class (U+{low:X4} after U+{high:X4})");
                    }
                }

                items++;
            }

            if (items == 0)
            {
                throw Error("empty character class");
            }

            return new Terminal(MatchesEmpty: false);
        }

        /// <summary>Reads one (possibly escaped) character; returns its code point.</summary>
        private int Character()
        {
            var c = text[position];
            if (c != '\\')
            {
                if (char.IsHighSurrogate(c) && position + 1 < text.Length && char.IsLowSurrogate(text[position + 1]))
                {
                    position += 2;
                    return char.ConvertToUtf32(c, text[position - 1]);
                }

                if (char.IsSurrogate(c))
                {
                    throw Error("a lone surrogate is not a character");
                }

                position++;
                return c;
            }

            if (position + 1 >= text.Length)
            {
                throw Error("escape at the end of the grammar");
            }

            var escape = text[position + 1];
            position += 2;
            return escape switch
            {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                '\\' or '"' or '[' or ']' => escape,
                'x' => Hex(2),
                'u' => Hex(4),
                _ => throw Error($"unknown escape '\\{escape}'"),
            };
        }

        private int Hex(int digits)
        {
            if (position + digits > text.Length
                || !int.TryParse(text.AsSpan(position, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                throw Error($"expected {digits} hexadecimal digits");
            }

            position += digits;
            return value;
        }

        private string Name()
        {
            var start = position;
            while (position < text.Length && IsNameChar(text[position]))
            {
                position++;
            }

            if (position == start)
            {
                throw Error("expected a rule name");
            }

            return text[start..position];
        }

        private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

        private bool Peek(string token) => string.CompareOrdinal(text, position, token, 0, token.Length) == 0;

        private void Expect(string token)
        {
            if (!Peek(token))
            {
                throw Error($"expected '{token}'");
            }

            position += token.Length;
            SkipSpace(newlines: false);
        }

        private void SkipSpace(bool newlines)
        {
            while (position < text.Length)
            {
                var c = text[position];
                if (c == '#')
                {
                    while (position < text.Length && text[position] != '\n')
                    {
                        position++;
                    }
                }
                else if (c is ' ' or '\t' || (newlines && c is '\n' or '\r'))
                {
                    position++;
                }
                else
                {
                    break;
                }
            }
        }

        private InvalidGrammarException Error(string problem, int? line = null) =>
            new($"Invalid grammar at line {line ?? Line}: {problem}.");
    }
}
