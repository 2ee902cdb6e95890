namespace SleepTime.Grading;

/// <summary>Allocation-light text helpers shared by the extractors and graders.</summary>
internal static class AnswerText
{
    /// <summary>Buffers up to this many chars live on the stack.</summary>
    internal const int StackLimit = 256;

    internal static bool IsAsciiDigit(char c) => (uint)(c - '0') <= 9;

    /// <summary>A character of the paper's GSM number class <c>[$0-9.,]</c>.</summary>
    internal static bool IsGsmNumberChar(char c) => IsAsciiDigit(c) || c == '.' || c == ',' || c == '$';

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="destination"/> without <c>$</c> and <c>,</c>
    /// and returns the number of chars written. <paramref name="destination"/> must be at least as long as the source.
    /// </summary>
    internal static int CopyWithoutDollarAndComma(ReadOnlySpan<char> source, Span<char> destination)
    {
        int n = 0;
        foreach (char c in source)
        {
            if (c != '$' && c != ',')
            {
                destination[n++] = c;
            }
        }

        return n;
    }

    /// <summary>
    /// <paramref name="value"/> trimmed of white space, without <c>$</c> and <c>,</c>, and (when
    /// <paramref name="trimDots"/>) without leading and trailing <c>.</c>, like Python's <c>strip(".")</c>.
    /// Returns the same instance when nothing changes, so an already normalised answer costs no allocation.
    /// </summary>
    internal static string NormalizeGsm(string value, bool trimDots)
    {
        ReadOnlySpan<char> span = value.AsSpan().Trim();
        if (span.ContainsAny('$', ','))
        {
            Span<char> buffer = span.Length <= StackLimit ? stackalloc char[span.Length] : new char[span.Length];
            int n = CopyWithoutDollarAndComma(span, buffer);
            ReadOnlySpan<char> cleaned = buffer[..n].Trim();
            if (trimDots)
            {
                cleaned = cleaned.Trim('.');
            }

            return new string(cleaned);
        }

        if (trimDots)
        {
            span = span.Trim('.');
        }

        return span.Length == value.Length ? value : new string(span);
    }

    /// <summary>
    /// The <see cref="GradingMode.Numeric"/> comparison: after removing white space at the ends, <c>$</c> and
    /// <c>,</c>, both sides are parsed as invariant-culture decimals (optional sign, optional decimal point, no
    /// exponent) and compared by value; if either side does not parse, the normalised strings are compared ordinally.
    /// </summary>
    internal static bool NumericEquals(ReadOnlySpan<char> left, ReadOnlySpan<char> right)
    {
        left = left.Trim();
        right = right.Trim();
        Span<char> leftBuffer = left.Length <= StackLimit ? stackalloc char[left.Length] : new char[left.Length];
        Span<char> rightBuffer = right.Length <= StackLimit ? stackalloc char[right.Length] : new char[right.Length];
        ReadOnlySpan<char> a = leftBuffer[..CopyWithoutDollarAndComma(left, leftBuffer)];
        ReadOnlySpan<char> b = rightBuffer[..CopyWithoutDollarAndComma(right, rightBuffer)];

        const System.Globalization.NumberStyles Styles =
            System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        if (decimal.TryParse(a, Styles, culture, out decimal x) && decimal.TryParse(b, Styles, culture, out decimal y))
        {
            return x == y;
        }

        return a.SequenceEqual(b);
    }
}
