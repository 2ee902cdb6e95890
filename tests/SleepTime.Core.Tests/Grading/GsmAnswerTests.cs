using SleepTime.Grading;

namespace SleepTime.Tests.Grading;

public class GsmAnswerTests
{
    [Theory]
    [InlineData("She buys 24 more, so 24 + 48 = 72 pencils in all. The answer is 72.", "72")]
    [InlineData("Utilities: 90 * 12 = 1,080 dollars.\n\n**Answer:** $1,080", "1080")]
    [InlineData("Liam starts with 5 apples and pays back 8, so she has -3 left", "-3")]
    [InlineData("48 / 2 = 24\n24 + 48 = 72\n=> 72.0", "72.0")]
    [InlineData("The ticket price is $45", "45")]
    [InlineData("The ticket price is 45.", "45")]
    [InlineData("The total is 1,234.5", "1234.5")]
    [InlineData("Half a cup is 0.50 cups", "0.50")]
    [InlineData("He pays -$12 in the end", "-12")]
    [InlineData("Step 1: <<48/2=24>>24\nStep 2: <<24+48=72>>72\n#### 72", "72")]
    [InlineData("42", "42")]
    [InlineData("7 cats", "7")]
    public void Extract_ReturnsTheLastNumberWithoutDollarAndComma(string reply, string expected)
    {
        Assert.Equal(expected, GsmAnswer.Extract(reply));
        Assert.Equal(expected, GsmAnswer.Extract(reply, GradingMode.Paper));
    }

    [Theory]
    [InlineData("")]
    [InlineData("I cannot work this out without knowing how many pencils she started with.")]
    [InlineData("The answer is seventy-two.")]
    public void Extract_WithoutAnyNumber_ReturnsNull(string reply)
    {
        Assert.Null(GsmAnswer.Extract(reply));
        Assert.Null(GsmAnswer.Extract(reply, GradingMode.Paper));
    }

    [Theory]
    // The paper's pattern also matches runs with no digit; its last match then standardises to "".
    [InlineData("So the total is 72 (i.e., seventy-two).", "72", "")]
    [InlineData("The answer is 72. Let me know if you need anything else...", "72", "")]
    // Python's strip(".") removes a leading decimal point too.
    [InlineData("She drinks .5 of the bottle", ".5", "5")]
    // A leading ellipsis is not a decimal point.
    [InlineData("Let me think...72", "72", "72")]
    [InlineData("Hmm -...3", "-3", "-...3")]
    public void Extract_PaperRuleKeepsTheScriptsQuirks(string reply, string numeric, string paper)
    {
        Assert.Equal(numeric, GsmAnswer.Extract(reply));
        Assert.Equal(numeric, GsmAnswer.Extract(reply, GradingMode.Numeric));
        Assert.Equal(paper, GsmAnswer.Extract(reply, GradingMode.Paper));
    }

    [Fact]
    public void Extract_ReadsAHyphenBeforeDigitsAsAMinusSign_LikeThePaper()
    {
        Assert.Equal("-12", GsmAnswer.Extract("Read pages 10-12"));
        Assert.Equal("-12", GsmAnswer.Extract("Read pages 10-12", GradingMode.Paper));
    }

    [Fact]
    public void Extract_HandlesLongNumbersBeyondTheStackBuffer()
    {
        string digits = new('9', 1000);
        Assert.Equal(digits, GsmAnswer.Extract("The answer is $" + digits + "."));
        Assert.Equal(digits, GsmAnswer.Extract("The answer is $" + digits + ".", GradingMode.Paper));
    }

    [Fact]
    public void Extract_RejectsNullAndUnknownModes()
    {
        Assert.Throws<ArgumentNullException>(() => GsmAnswer.Extract(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => GsmAnswer.Extract("72", (GradingMode)42));
    }

    [Theory]
    [InlineData(GsmSamples.PencilsSolution, "72")]
    [InlineData(GsmSamples.RentSolution, "1080")]
    [InlineData(GsmSamples.AppleDebtSolution, "-3")]
    [InlineData(GsmSamples.PriceSolution, "45")]
    [InlineData("#### 18\n", "18")]
    [InlineData("Step one #### 5\nCorrection: 6 #### 6", "6")]
    public void ExpectedFrom_TakesTheTextAfterTheLastMarker(string solution, string expected)
    {
        Assert.Equal(expected, GsmAnswer.ExpectedFrom(solution));
    }

    [Fact]
    public void ExpectedFrom_WithoutMarker_ThrowsFormatExceptionNamingTheMarker()
    {
        var error = Assert.Throws<FormatException>(() => GsmAnswer.ExpectedFrom("She has 24+48 = <<24+48=72>>72 pencils."));
        Assert.Contains("####", error.Message);
    }

    [Fact]
    public void ExpectedFrom_WithNothingAfterTheMarker_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => GsmAnswer.ExpectedFrom("She has 72 pencils.\n####  \n"));
    }
}
