using SleepTime.Bench.Datasets;
using SleepTime.Bench.Datasets.Conversion;
using SleepTime.Bench.Tests.Support;

namespace SleepTime.Bench.Tests.Datasets;

public sealed class AimeConversionTests
{
    [Fact]
    public void Statements_do_not_end_inside_math_and_diagrams_are_statements_of_their_own()
    {
        var statements = AimeStatementSplitter.Statements("Let $x = 2.5$ and $y = 4.$ Points are shown. [asy] draw((0,0)--(1,1)). [/asy] Find $x+y$.");

        Assert.Equal(["Let $x = 2.5$ and $y = 4.$ Points are shown.", "[asy] draw((0,0)--(1,1)). [/asy]", "Find $x+y$."], statements);
    }

    [Fact]
    public void The_last_statement_that_is_not_a_diagram_is_the_query()
    {
        var split = AimeStatementSplitter.Split("A square has side $3$. Find its area. [asy] draw(unitsquare); [/asy]");

        Assert.Equal("Find its area.", split.Question);
        Assert.Equal("A square has side $3$. [asy] draw(unitsquare); [/asy]", split.Context);
    }

    [Fact]
    public void Overrides_pick_a_question_that_is_not_last()
    {
        using var temp = new TempFolder();
        var overrides = temp.Write("overrides.json", """{"902": {"question_statement": -2}}""");
        var output = temp.File("aime.jsonl");

        DatasetConverter.ConvertAime(Fixture.Path("raw-aime.jsonl"), output, SplitOverride.ReadFile(overrides));
        var dataset = StatefulDatasetReader.Read(output);

        Assert.Equal(DatasetKind.Aime, dataset.Kind);
        Assert.Equal("Find the value of $2x + y$.", dataset.Contexts[0].Questions[0].Text);
        Assert.Equal("Find $AB^2$ if $A=(0,0)$ and $B=(1,1)$.", dataset.Contexts[1].Questions[0].Text);
        Assert.Equal(["9", "2"], dataset.Items.Select(i => i.Question.Expected));
    }

    [Fact]
    public void An_override_for_a_row_that_does_not_exist_is_an_error()
    {
        using var temp = new TempFolder();
        var overrides = temp.Write("overrides.json", """{"12345": {"question": "Find it."}}""");

        var error = Assert.Throws<DatasetFormatException>(() => DatasetConverter.ConvertAime(Fixture.Path("raw-aime.jsonl"), temp.File("o.jsonl"), SplitOverride.ReadFile(overrides)));
        Assert.Contains("12345", error.Message, StringComparison.Ordinal);
    }

    [SharedDataFact("aime/aime24/test.jsonl")]
    public void Real_AIME_2024_converts_every_problem()
    {
        AssertConverts(SharedData.File("aime/aime24/test.jsonl")!);
    }

    [SharedDataFact("aime/aime25/test.jsonl")]
    public void Real_AIME_2025_converts_every_problem_even_without_ids()
    {
        AssertConverts(SharedData.File("aime/aime25/test.jsonl")!);
    }

    private static void AssertConverts(string raw)
    {
        using var temp = new TempFolder();
        var output = temp.File("aime.jsonl");

        var result = DatasetConverter.ConvertAime(raw, output);
        var dataset = StatefulDatasetReader.Read(output);

        // One-statement problems have no context to study ahead; they are reported, not converted.
        Assert.Equal(30, result.Written + result.Skipped.Count);
        Assert.True(result.Written >= 20, $"only {result.Written} of 30 problems split: {string.Join("; ", result.Skipped)}");
        Assert.All(result.Skipped, s => Assert.Contains("single statement", s, StringComparison.Ordinal));
        Assert.Equal(result.Written, dataset.QuestionCount);
        Assert.All(dataset.Items, i =>
        {
            Assert.InRange(int.Parse(i.Question.Expected, System.Globalization.CultureInfo.InvariantCulture), 0, 999);
            Assert.DoesNotContain("[asy]", i.Question.Text, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(i.Context.Text));
        });
    }
}
