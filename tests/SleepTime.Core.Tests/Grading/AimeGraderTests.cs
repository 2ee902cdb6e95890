using SleepTime.Grading;

namespace SleepTime.Tests.Grading;

public class AimeGraderTests
{
    private static readonly AimeGrader Paper = new();
    private static readonly AimeGrader Numeric = new(GradingMode.Numeric);

    [Fact]
    public void DefaultModeIsPaper()
    {
        Assert.Equal(GradingMode.Paper, new AimeGrader().Mode);
        Assert.Equal(GradingMode.Numeric, Numeric.Mode);
    }

    [Theory]
    // reply, expected, correct in Paper mode, correct in Numeric mode
    [InlineData("Reducing modulo 1000 gives $\\boxed{073}$.", "73", true, true)]
    [InlineData("Reducing modulo 1000 gives $\\boxed{073}$.", "073", true, true)]
    [InlineData("Reducing modulo 1000 gives $\\boxed{73}$.", "073", true, true)]
    [InlineData("First \\boxed{12}, but correcting the overcount gives \\boxed{204}.", "204", true, true)]
    [InlineData("First \\boxed{12}, but correcting the overcount gives \\boxed{204}.", "12", false, false)]
    [InlineData("\\boxed{73.0}", "73", true, true)]            // Paper: int() fails, the digit scan finds 73
    [InlineData("\\boxed{73.5}", "73", false, false)]
    [InlineData("So m + n = 73 (see AIME 2024)", "73", false, true)]  // Paper's scan ends on the 4 of 2024
    [InlineData("so the remainder is 0", "0", false, true)]           // Paper's scan never finds 0
    [InlineData("With 3 cases the probability is \\boxed{\\frac{1}{2}}.", "2", true, false)] // Paper's false positive
    [InlineData("I could not finish the problem.", "73", false, false)]
    public void PaperAndNumericModes(string reply, string expected, bool paperCorrect, bool numericCorrect)
    {
        Assert.Equal(paperCorrect, Paper.Grade(reply, expected).IsCorrect);
        Assert.Equal(numericCorrect, Numeric.Grade(reply, expected).IsCorrect);
    }

    [Fact]
    public void GradeReportsExtractedAndExpected()
    {
        const string reply = "Therefore $m + n = \\boxed{073}$.";
        Assert.Equal(new AnswerGrade("73", "73", true), Paper.Grade(reply, "073"));
        Assert.Equal(new AnswerGrade("073", "73", true), Numeric.Grade(reply, " 73 "));
    }

    [Fact]
    public void NumericModeComparesNonNumericAnswersAsStrings()
    {
        const string reply = "The ratio is \\boxed{\\frac{1}{2}}";
        Assert.True(Numeric.Grade(reply, "\\frac{1}{2}").IsCorrect);
        Assert.False(Numeric.Grade(reply, "\\frac{1}{3}").IsCorrect);
    }

    [Fact]
    public void PaperModeRequiresAnIntegerReference()
    {
        var error = Assert.Throws<FormatException>(() => Paper.Grade("\\boxed{1}", "one half"));
        Assert.Contains("one half", error.Message);
    }

    [Fact]
    public void NoAnswer_IsWrongWithNullExtracted()
    {
        Assert.Equal(new AnswerGrade(null, "73", false), Paper.Grade("No idea.", "73"));
        Assert.Equal(new AnswerGrade(null, "73", false), Numeric.Grade("No idea.", "73"));
    }

    [Fact]
    public void RejectsNullArgumentsAndUnknownModes()
    {
        Assert.Throws<ArgumentNullException>(() => Paper.Grade(null!, "73"));
        Assert.Throws<ArgumentNullException>(() => Numeric.Grade("73", null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AimeGrader((GradingMode)7));
    }
}
