using SleepTime.Providers.Local.InlineTools;

namespace SleepTime.Providers.Local.Tests;

/// <summary>What counts as a calculator call, and what it writes.</summary>
public sealed class InlineCalculatorTests
{
    [Theory]
    [InlineData("Muffins sold: 66 - 11 =", " 55")]
    [InlineData("Muffins per day with more trays (and bakes 3, Priya adds 4): (3 + 4) * 22 =", " 154")]
    [InlineData("Full boxes: 66 / 2 =", " 33")]
    [InlineData("Share: 10 / 4 =", " 2.5")]
    [InlineData("Third: 10 / 3 =", " 3.333333")]
    [InlineData("12*3=", " 36")]
    [InlineData("Change: 5 - 8 =", " -3")]
    [InlineData("Cost: 2.5 * 4 =", " 10")]
    [InlineData("Nested: ((2 + 3) * (4 - 1)) / 5 = ", " 3")]
    public void An_expression_ending_in_an_equals_sign_gets_its_exact_result(string line, string result) =>
        Assert.Equal(result, InlineCalculator.ResultAfter(line));

    [Theory]
    [InlineData("The answer is 5 =")] // words are not arithmetic
    [InlineData("Muffins: 66 =")] // no operator: nothing to calculate
    [InlineData("Broken: 1 / 0 =")]
    [InlineData("Compare: 3 == ")]
    [InlineData("Less: 3 <=")]
    [InlineData("Open: (3 + 4 =")]
    [InlineData("Muffins sold: 66 - 11")] // not ended by =
    [InlineData("Muffins sold: 66 - 11 = 55")]
    [InlineData("Huge: 999999999999999999999 * 2 =")]
    [InlineData("")]
    public void Anything_else_is_not_a_call(string line) =>
        Assert.Null(InlineCalculator.ResultAfter(line));

    [Fact]
    public void Deep_nesting_is_refused_rather_than_recursed_into()
    {
        var deep = new string('(', 10_000) + "1 + 1" + new string(')', 10_000) + " =";

        Assert.Null(InlineCalculator.ResultAfter(deep));
        Assert.Equal(" 2", InlineCalculator.ResultAfter(new string('(', 20) + "1 + 1" + new string(')', 20) + " ="));
    }
}
