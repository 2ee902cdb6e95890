using SleepTime.Grading;

namespace SleepTime.Tests.Grading;

public class AnswerGradersTests
{
    [Theory]
    [InlineData("gsm", GradingMode.Paper)]
    [InlineData("GSM", GradingMode.Numeric)]
    [InlineData("Gsm", GradingMode.Paper)]
    public void For_Gsm_ReturnsAGsmGraderInThatMode(string kind, GradingMode mode)
    {
        var grader = Assert.IsType<GsmGrader>(AnswerGraders.For(kind, mode));
        Assert.Equal(mode, grader.Mode);
    }

    [Theory]
    [InlineData("aime", GradingMode.Paper)]
    [InlineData("AIME", GradingMode.Numeric)]
    public void For_Aime_ReturnsAnAimeGraderInThatMode(string kind, GradingMode mode)
    {
        var grader = Assert.IsType<AimeGrader>(AnswerGraders.For(kind, mode));
        Assert.Equal(mode, grader.Mode);
    }

    [Fact]
    public void For_ModeChangesTheVerdict()
    {
        Assert.False(AnswerGraders.For("gsm", GradingMode.Paper).Grade("=> 72.0", "72").IsCorrect);
        Assert.True(AnswerGraders.For("gsm", GradingMode.Numeric).Grade("=> 72.0", "72").IsCorrect);
        Assert.False(AnswerGraders.For("aime", GradingMode.Paper).Grade("the remainder is 0", "0").IsCorrect);
        Assert.True(AnswerGraders.For("aime", GradingMode.Numeric).Grade("the remainder is 0", "0").IsCorrect);
    }

    [Theory]
    [InlineData("math")]
    [InlineData("gsm8k")]
    [InlineData(" gsm")]
    [InlineData("")]
    public void For_UnknownKind_ThrowsArgumentException(string kind)
    {
        var error = Assert.Throws<ArgumentException>(() => AnswerGraders.For(kind, GradingMode.Paper));
        Assert.Equal("datasetKind", error.ParamName);
    }

    [Fact]
    public void For_UnknownMode_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AnswerGraders.For("gsm", (GradingMode)3));
        Assert.Throws<ArgumentNullException>(() => AnswerGraders.For(null!, GradingMode.Paper));
    }
}
