using SleepTime.Grading;

namespace SleepTime.Tests.Grading;

public class GsmGraderTests
{
    private static readonly GsmGrader Paper = new();
    private static readonly GsmGrader Numeric = new(GradingMode.Numeric);

    [Fact]
    public void DefaultModeIsPaper()
    {
        Assert.Equal(GradingMode.Paper, new GsmGrader().Mode);
        Assert.Equal(GradingMode.Numeric, Numeric.Mode);
    }

    [Theory]
    // reply, expected, correct in Paper mode, correct in Numeric mode
    [InlineData("24 + 48 = 72 pencils. The answer is 72.", "72", true, true)]
    [InlineData("**Answer:** $1,080", "1080", true, true)]
    [InlineData("**Answer:** $1,080", "1,080", true, true)]
    [InlineData("so she has -3 left", "-3", true, true)]
    [InlineData("=> 72.0", "72", false, true)]             // the paper's best-known false negative
    [InlineData("so she has -3.0 left", "-3", false, true)]
    [InlineData("It costs $45.00", "45", false, true)]
    [InlineData("Half a cup: 0.50", ".5", false, true)]
    [InlineData("She has 71 pencils.", "72", false, false)]
    [InlineData("She has 72 pencils, i.e., six dozen.", "72", false, true)]  // the paper's last match is ".,"
    [InlineData("I am not sure how many pencils she has.", "72", false, false)]
    public void PaperAndNumericModes(string reply, string expected, bool paperCorrect, bool numericCorrect)
    {
        Assert.Equal(paperCorrect, Paper.Grade(reply, expected).IsCorrect);
        Assert.Equal(numericCorrect, Numeric.Grade(reply, expected).IsCorrect);
    }

    [Fact]
    public void GradeReportsTheExtractedAndNormalisedExpectedAnswers()
    {
        string expected = GsmAnswer.ExpectedFrom(GsmSamples.RentSolution);

        var grade = Paper.Grade("Utilities: 90 * 12 = 1,080.\n**Answer:** $1,080", expected);

        Assert.Equal(new AnswerGrade("1080", "1080", true), grade);
    }

    [Fact]
    public void GradeNormalisesAReferenceWithDollarAndComma()
    {
        Assert.Equal("1080", Paper.Grade("1080", "$1,080").Expected);
        Assert.Equal("1080", Numeric.Grade("1080", " $1,080 ").Expected);
    }

    [Fact]
    public void PaperModeStripsDotsFromTheReferenceLikeTheScript()
    {
        var grade = Paper.Grade("The answer is 72.", "72.");
        Assert.Equal("72", grade.Expected);
        Assert.True(grade.IsCorrect);
    }

    [Fact]
    public void ReplyWithoutNumber_IsWrongWithNullExtracted()
    {
        var paper = Paper.Grade("Sorry, I can't tell.", "72");
        var numeric = Numeric.Grade("Sorry, I can't tell.", "72");
        Assert.Equal(new AnswerGrade(null, "72", false), paper);
        Assert.Equal(new AnswerGrade(null, "72", false), numeric);
    }

    [Theory]
    [InlineData("The version is 1.2.3", "1.2.3", true)]
    [InlineData("The version is 1.2.3", "1.2.4", false)]
    public void NumericModeFallsBackToStringComparisonWhenNotANumber(string reply, string expected, bool correct)
    {
        Assert.Equal(correct, Numeric.Grade(reply, expected).IsCorrect);
    }

    [Fact]
    public void GradesAGsmSymbolicAnswerFieldEndToEnd()
    {
        string expected = GsmAnswer.ExpectedFrom(GsmSamples.AppleDebtSolution);

        Assert.True(Paper.Grade("After paying her back, Liam has -3 apples.", expected).IsCorrect);
        Assert.False(Paper.Grade("After paying her back, Liam has 3 apples.", expected).IsCorrect);
    }

    [Fact]
    public void RejectsNullArgumentsAndUnknownModes()
    {
        Assert.Throws<ArgumentNullException>(() => Paper.Grade(null!, "72"));
        Assert.Throws<ArgumentNullException>(() => Paper.Grade("72", null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GsmGrader((GradingMode)7));
    }
}
