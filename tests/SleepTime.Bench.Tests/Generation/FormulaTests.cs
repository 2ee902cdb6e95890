using SleepTime.Bench.Generation;

namespace SleepTime.Bench.Tests.Generation;

public sealed class FormulaTests
{
    private static readonly Dictionary<string, long> Values = new() { ["a"] = 7, ["b"] = 3, ["c"] = 21 };

    [Theory]
    [InlineData("a + b * 2", 13)]
    [InlineData("(a + b) * 2", 20)]
    [InlineData("c / a - -b", 6)]
    [InlineData("c % 4", 1)]
    [InlineData("a * b == c", 1)]
    [InlineData("a > c", 0)]
    public void Evaluates_integer_arithmetic_with_precedence(string source, long expected)
    {
        Assert.Equal(expected, Formula.Parse(source).Evaluate(Values));
    }

    [Fact]
    public void Division_must_be_exact()
    {
        Assert.Throws<InexactFormulaException>(() => Formula.Parse("c / 2").Evaluate(Values));
        Assert.Throws<InexactFormulaException>(() => Formula.Parse("a / (b - 3)").Evaluate(Values));
    }

    [Fact]
    public void Names_and_substitution_show_the_quantities_read()
    {
        var formula = Formula.Parse("a * b + c");

        Assert.Equal(new HashSet<string> { "a", "b", "c" }, formula.Names);
        Assert.Equal("7 * 3 + 21", formula.Substitute(Values));
    }

    [Theory]
    [InlineData("a +")]
    [InlineData("(a + b")]
    [InlineData("a $ b")]
    public void Malformed_formulas_are_rejected_with_the_position(string source)
    {
        var error = Assert.Throws<FormatException>(() => Formula.Parse(source));
        Assert.Contains("position", error.Message, StringComparison.Ordinal);
    }
}
