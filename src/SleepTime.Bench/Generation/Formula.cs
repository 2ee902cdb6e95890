using System.Globalization;
using System.Text.RegularExpressions;

namespace SleepTime.Bench.Generation;

/// <summary>
/// An integer formula over named quantities: numbers, names, <c>+ - * / %</c>, parentheses, and one optional
/// comparison (<c>&lt; &lt;= &gt; &gt;= == !=</c>, which yields 1 or 0) for constraints. Arithmetic is checked and
/// division must be exact, so every generated answer is an exact integer.
/// </summary>
public sealed partial class Formula
{
    private readonly Node root;

    private Formula(string source, Node root, IReadOnlySet<string> names)
    {
        Source = source;
        this.root = root;
        Names = names;
    }

    public string Source { get; }

    /// <summary>The quantities the formula reads.</summary>
    public IReadOnlySet<string> Names { get; }

    public static Formula Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var parser = new Parser(source);
        var node = parser.ParseComparison();
        parser.ExpectEnd();
        return new Formula(source, node, parser.Names);
    }

    /// <exception cref="InexactFormulaException">A division leaves a remainder, divides by zero, or a value overflows.</exception>
    public long Evaluate(IReadOnlyDictionary<string, long> values)
    {
        try
        {
            return root.Evaluate(values);
        }
        catch (OverflowException)
        {
            throw new InexactFormulaException($"'{Source}' overflows.");
        }
    }

    /// <summary>The formula with every name replaced by its value, e.g. "trays * per_tray" as "4 * 12".</summary>
    public string Substitute(IReadOnlyDictionary<string, long> values) =>
        Identifier().Replace(Source, m => values.TryGetValue(m.Value, out var v) ? v.ToString(CultureInfo.InvariantCulture) : m.Value);

    public override string ToString() => Source;

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Identifier();

    private abstract record Node
    {
        public abstract long Evaluate(IReadOnlyDictionary<string, long> values);
    }

    private sealed record Number(long Value) : Node
    {
        public override long Evaluate(IReadOnlyDictionary<string, long> values) => Value;
    }

    private sealed record Name(string Id) : Node
    {
        public override long Evaluate(IReadOnlyDictionary<string, long> values) =>
            values.TryGetValue(Id, out var v) ? v : throw new KeyNotFoundException($"The formula reads '{Id}', which has no value yet.");
    }

    private sealed record Negate(Node Operand) : Node
    {
        public override long Evaluate(IReadOnlyDictionary<string, long> values) => checked(-Operand.Evaluate(values));
    }

    private sealed record Binary(string Op, Node Left, Node Right) : Node
    {
        public override long Evaluate(IReadOnlyDictionary<string, long> values)
        {
            var l = Left.Evaluate(values);
            var r = Right.Evaluate(values);
            return Op switch
            {
                "+" => checked(l + r),
                "-" => checked(l - r),
                "*" => checked(l * r),
                "/" => r != 0 && l % r == 0 ? l / r : throw new InexactFormulaException($"{l} / {r} is not an exact integer."),
                "%" => r != 0 ? l % r : throw new InexactFormulaException("remainder by zero."),
                "<" => l < r ? 1 : 0,
                "<=" => l <= r ? 1 : 0,
                ">" => l > r ? 1 : 0,
                ">=" => l >= r ? 1 : 0,
                "==" => l == r ? 1 : 0,
                "!=" => l != r ? 1 : 0,
                _ => throw new InvalidOperationException(Op),
            };
        }
    }

    private sealed class Parser(string text)
    {
        private static readonly string[] Comparisons = ["<=", ">=", "==", "!=", "<", ">"];
        private int position;

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        public Node ParseComparison()
        {
            var left = ParseSum();
            SkipSpace();
            foreach (var op in Comparisons)
            {
                if (string.CompareOrdinal(text, position, op, 0, op.Length) == 0)
                {
                    position += op.Length;
                    return new Binary(op, left, ParseSum());
                }
            }

            return left;
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (position < text.Length)
            {
                throw Error($"unexpected '{text[position]}'");
            }
        }

        private Node ParseSum()
        {
            var node = ParseProduct();
            while (Accept('+', '-') is { } op)
            {
                node = new Binary(op.ToString(), node, ParseProduct());
            }

            return node;
        }

        private Node ParseProduct()
        {
            var node = ParseUnary();
            while (Accept('*', '/', '%') is { } op)
            {
                node = new Binary(op.ToString(), node, ParseUnary());
            }

            return node;
        }

        private Node ParseUnary() => Accept('-') is not null ? new Negate(ParseUnary()) : ParsePrimary();

        private Node ParsePrimary()
        {
            SkipSpace();
            if (position >= text.Length)
            {
                throw Error("the formula ends too early");
            }

            var c = text[position];
            if (c == '(')
            {
                position++;
                var inner = ParseComparison();
                if (Accept(')') is null)
                {
                    throw Error("missing ')'");
                }

                return inner;
            }

            var start = position;
            if (char.IsDigit(c))
            {
                while (position < text.Length && char.IsDigit(text[position]))
                {
                    position++;
                }

                return new Number(long.Parse(text.AsSpan(start, position - start), CultureInfo.InvariantCulture));
            }

            if (char.IsLetter(c) || c == '_')
            {
                while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
                {
                    position++;
                }

                var name = text[start..position];
                Names.Add(name);
                return new Name(name);
            }

            throw Error($"unexpected '{c}'");
        }

        private char? Accept(params char[] options)
        {
            SkipSpace();
            if (position < text.Length && options.Contains(text[position])
                && !(text[position] is '<' or '>' or '=' or '!'))
            {
                return text[position++];
            }

            return null;
        }

        private void SkipSpace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }

        private FormatException Error(string what) => new($"Formula '{text}': {what} at position {position + 1}.");
    }
}

/// <summary>A formula has no exact integer value for the sampled quantities; the generator draws again.</summary>
public sealed class InexactFormulaException(string message) : Exception(message);
