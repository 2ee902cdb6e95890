using System.Globalization;

namespace SleepTime.Providers.Local.InlineTools;

/// <summary>
/// The calculator a local model calls by writing an arithmetic expression followed by <c>=</c>, as in a
/// calculator-annotated solution (<c>Muffins sold: 66 - 11 =</c>): integers and decimals, <c>+ - * /</c> and
/// parentheses, with at least one operator. The expression is the line's text after its last <c>": "</c>, or the
/// whole line, without the <see cref="InlineLookup"/> references in it (<c>[tray holds] 20 * [trays] 9 =</c> is
/// <c>20 * 9</c>). Anything else is not a call and the model writes on by itself.
/// </summary>
public static class InlineCalculator
{
    /// <summary>The text to write after <paramref name="line"/> when it ends a call: a space and the exact result; otherwise null.</summary>
    /// <param name="line">The current line of generated text, up to and including its last character.</param>
    public static string? ResultAfter(ReadOnlySpan<char> line)
    {
        var text = line.TrimEnd(' ');
        if (text.Length < 2 || text[^1] != '=' || text[^2] == '=' || text[^2] == '<' || text[^2] == '>' || text[^2] == '!')
        {
            return null;
        }

        text = text[..^1];
        var label = text.LastIndexOf(": ", StringComparison.Ordinal);
        var expression = InlineLookup.WithoutReferences((label >= 0 ? text[(label + 2)..] : text).ToString());
        return Evaluate(expression) is { } value ? " " + Format(value) : null;
    }

    /// <summary>The value of an arithmetic expression with at least one operator; null when it is not one, or divides by zero.</summary>
    public static decimal? Evaluate(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var parser = new Parser(expression);
        try
        {
            var value = parser.Sum();
            return parser.AtEnd && parser.Operators > 0 ? value : null;
        }
        catch (Exception e) when (e is FormatException or DivideByZeroException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Invariant, with no exponent and no trailing zeros: <c>66</c>, <c>2.5</c>, <c>-3</c>.</summary>
    public static string Format(decimal value)
    {
        var rounded = Math.Round(value, 6, MidpointRounding.ToEven);
        return (rounded / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
    }

    private sealed class Parser(string text)
    {
        private const int MaxDepth = 32;
        private int position;
        private int depth;

        public int Operators { get; private set; }

        public bool AtEnd
        {
            get
            {
                SkipSpaces();
                return position == text.Length;
            }
        }

        public decimal Sum()
        {
            var value = Product();
            while (Next() is '+' or '-')
            {
                var op = text[position++];
                Operators++;
                var right = Product();
                value = op == '+' ? value + right : value - right;
            }

            return value;
        }

        private decimal Product()
        {
            var value = Factor();
            while (Next() is '*' or '/')
            {
                var op = text[position++];
                Operators++;
                var right = Factor();
                value = op == '/' ? value / right : value * right;
            }

            return value;
        }

        private decimal Factor()
        {
            var next = Next();
            if (next == '(')
            {
                if (++depth > MaxDepth)
                {
                    throw new FormatException("Too deeply nested.");
                }

                position++;
                var value = Sum();
                if (Next() != ')')
                {
                    throw new FormatException("Unclosed parenthesis.");
                }

                position++;
                depth--;
                return value;
            }

            if (next == '-')
            {
                position++;
                return -Factor();
            }

            var start = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.'))
            {
                position++;
            }

            var digits = text[start..position];
            if (digits.Length == 0 || digits.Length > 20)
            {
                throw new FormatException("Not a number.");
            }

            return decimal.Parse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        }

        private char Next()
        {
            SkipSpaces();
            return position < text.Length ? text[position] : '\0';
        }

        private void SkipSpaces()
        {
            while (position < text.Length && text[position] == ' ')
            {
                position++;
            }
        }
    }
}
