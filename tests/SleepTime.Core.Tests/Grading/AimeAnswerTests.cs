using SleepTime.Grading;

namespace SleepTime.Tests.Grading;

public class AimeAnswerTests
{
    private const string TypicalReply =
        "Let the roots be $r$ and $s$. By Vieta, $r + s = 14$ and $rs = 46$.\n" +
        "Then $r^2 + s^2 = 14^2 - 2 \\cdot 46 = 104$, and reducing modulo 1000 we get\n" +
        "$$\\boxed{073}$$";

    [Fact]
    public void Extract_ReturnsTheBoxedIntegerAsWritten()
    {
        Assert.Equal("073", AimeAnswer.Extract(TypicalReply));
    }

    [Fact]
    public void Extract_PaperRuleReturnsThePythonIntOfTheBox()
    {
        Assert.Equal("73", AimeAnswer.Extract(TypicalReply, GradingMode.Paper));
    }

    [Fact]
    public void Extract_WithSeveralBoxes_TakesTheLast()
    {
        const string reply =
            "A first attempt gives \\boxed{12}. Wait, I double counted the case $a = b$.\n" +
            "Correcting this, there are 204 - 12 = 192 ordered pairs, so the answer is \\boxed{192}.";
        Assert.Equal("192", AimeAnswer.Extract(reply));
        Assert.Equal("192", AimeAnswer.Extract(reply, GradingMode.Paper));
    }

    [Fact]
    public void Extract_BalancesNestedBraces()
    {
        const string reply = "The probability is \\boxed{\\frac{1}{2}} and nothing else.";
        Assert.Equal("\\frac{1}{2}", AimeAnswer.Extract(reply));
    }

    [Fact]
    public void Extract_PaperRuleFallsBackToTheDigitScanWhenTheBoxIsNotAnInteger()
    {
        // int("\\frac{1}{2}") fails, so the paper scans the whole reply and finds the "2" of the fraction.
        const string reply = "With 3 cases the probability is \\boxed{\\frac{1}{2}}.";
        Assert.Equal("2", AimeAnswer.Extract(reply, GradingMode.Paper));
    }

    [Theory]
    [InlineData("\\boxed{ 73 }", "73")]
    [InlineData("so $m+n = \\boxed {113}$", "113")]
    [InlineData("\\boxed{0}", "0")]
    [InlineData("\\boxed{73^\\circ}", "73^\\circ")]
    [InlineData("the answer is 7 \\boxed{}", "7")]            // an empty box (an echoed instruction) is ignored
    [InlineData("so the answer is 581 \\boxed{58", "58")]      // a truncated, unclosed box falls back to the scan
    [InlineData("\\boxed{5} and \\boxedsymbol 9", "5")]        // "\\boxed" not followed by "{" is not a box
    public void Extract_BoxEdgeCases(string reply, string expected)
    {
        Assert.Equal(expected, AimeAnswer.Extract(reply));
    }

    [Theory]
    [InlineData("This is AIME 2024 Problem 7. Summing the cases, m + n = 113.", "113")]
    [InlineData("So m + n = 73 (see AIME 2024)", "73")]
    [InlineData("The answer is 073", "073")]
    [InlineData("so the remainder is 0", "0")]
    [InlineData("Since 3 + 4 = 7, there are 12 per row and 2,024 tiles in all", "12")]
    [InlineData("Area 6, i.e. 1,2,3 are the sides", "3")]
    [InlineData("The answer is -5", "5")]
    public void Extract_WithoutBox_TakesTheLastStandaloneOneToThreeDigitInteger(string reply, string expected)
    {
        Assert.Equal(expected, AimeAnswer.Extract(reply));
    }

    [Theory]
    [InlineData("This is AIME 2024.")]
    [InlineData("pi is about 3.14")]
    [InlineData("There are 12,345 of them")]
    [InlineData("No integers here, only words.")]
    [InlineData("")]
    public void Extract_WithoutBoxOrStandaloneInteger_ReturnsNull(string reply)
    {
        Assert.Null(AimeAnswer.Extract(reply));
    }

    [Theory]
    // findall of [1-9][0-9][0-9]|[1-9][0-9]|[1-9] splits long numbers and never matches 0.
    [InlineData("This is AIME 2024.", "4")]
    [InlineData("So m + n = 73 (see AIME 2024)", "4")]
    [InlineData("pi is about 3.14", "14")]
    [InlineData("There are 12,345 of them", "345")]
    [InlineData("The answer is 073", "73")]
    [InlineData("12345", "45")]
    [InlineData("The value is 1000", "100")]
    [InlineData("\\fbox{73} but the result is 5", "5")]                // the paper looks for \\fbox but cannot unbox it
    [InlineData("\\boxed {113} so 9", "9")]                            // nor a box with a space before "{"
    [InlineData("\\boxed{+073}", "73")]
    [InlineData("\\boxed{-5}", "-5")]
    [InlineData("\\boxed{1_000}", "1000")]                             // Python's int() accepts underscores
    [InlineData("\\boxed{00}", "0")]
    [InlineData("\\boxed{\u0667\u0663}", "73")]                        // and any Unicode decimal digit
    [InlineData("\\boxed{73.} 5", "5")]
    [InlineData("\\boxed{1__0} 5", "5")]
    [InlineData("\\boxed{ 99999999999999999999999999999999999 }", "99999999999999999999999999999999999")]
    public void Extract_PaperRule(string reply, string expected)
    {
        Assert.Equal(expected, AimeAnswer.Extract(reply, GradingMode.Paper));
    }

    [Theory]
    [InlineData("so the remainder is 0")]
    [InlineData("zero: 000")]
    [InlineData("no digits")]
    public void Extract_PaperRuleNeverFindsZeroOutsideABox(string reply)
    {
        Assert.Null(AimeAnswer.Extract(reply, GradingMode.Paper));
    }

    [Fact]
    public void Extract_RejectsNullAndUnknownModes()
    {
        Assert.Throws<ArgumentNullException>(() => AimeAnswer.Extract(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => AimeAnswer.Extract("\\boxed{1}", (GradingMode)42));
    }
}
