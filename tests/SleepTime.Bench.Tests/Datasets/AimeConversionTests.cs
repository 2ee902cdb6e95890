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

    [Fact]
    public void A_one_statement_problem_is_kept_with_an_empty_context_and_a_query_that_is_not_a_question_is_warned_about()
    {
        using var temp = new TempFolder();
        var raw = temp.Write("raw.jsonl", string.Join("\n",
            """{"id": "1", "problem": "Find the number of positive divisors of $2024$.", "answer": "12"}""",
            """{"id": "2", "problem": "Let $f(x) = x^2$. Find $f(3)$. Graph", "answer": "9"}""") + "\n");

        var result = DatasetConverter.ConvertAime(raw, temp.File("out.jsonl"));
        var dataset = StatefulDatasetReader.Read(temp.File("out.jsonl"));

        Assert.Equal(2, result.Written);
        Assert.Empty(result.Skipped);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("key \"2\"", warning, StringComparison.Ordinal);
        Assert.Contains("\"Graph\" does not read as a question", warning, StringComparison.Ordinal);
        Assert.Equal(2, dataset.Contexts.Count);
        Assert.Equal(string.Empty, dataset.Contexts[0].Text);
        Assert.Equal("Find the number of positive divisors of $2024$.", dataset.Contexts[0].Questions[0].Text);

        var overrides = temp.Write("o.json", """{"2": {"question_statement": -2}, "1": {"question": "Find the number of positive divisors of $2024$."}}""");
        var fixedResult = DatasetConverter.ConvertAime(raw, temp.File("fixed.jsonl"), SplitOverride.ReadFile(overrides));
        var fixedSet = StatefulDatasetReader.Read(temp.File("fixed.jsonl"));

        Assert.Empty(fixedResult.Warnings);
        Assert.Equal(string.Empty, fixedSet.Contexts[0].Text);
        Assert.Equal("Find $f(3)$.", fixedSet.Contexts[1].Questions[0].Text);
        Assert.Equal("Let $f(x) = x^2$. Graph", fixedSet.Contexts[1].Text);
    }

    [SharedDataFact("aime/aime24/test.jsonl")]
    public void Real_AIME_2024_converts_every_problem()
    {
        AssertConverts(SharedData.File("aime/aime24/test.jsonl")!, expectedWarnings: 3);
    }

    [SharedDataFact("aime/aime25/test.jsonl")]
    public void Real_AIME_2025_converts_every_problem_even_without_ids()
    {
        AssertConverts(SharedData.File("aime/aime25/test.jsonl")!, expectedWarnings: 2);
    }

    private static void AssertConverts(string raw, int expectedWarnings)
    {
        using var temp = new TempFolder();
        var output = temp.File("aime.jsonl");

        var result = DatasetConverter.ConvertAime(raw, output);
        var dataset = StatefulDatasetReader.Read(output);

        // Every problem is kept, one-statement ones with an empty context, as in the paper's Stateful AIME.
        Assert.Equal(30, result.Written);
        Assert.Empty(result.Skipped);
        Assert.Equal(30, dataset.QuestionCount);
        Assert.Equal(30, dataset.Contexts.Count);
        Assert.Equal(expectedWarnings, result.Warnings.Count);
        Assert.All(result.Warnings, w => Assert.Contains("does not read as a question", w, StringComparison.Ordinal));
        Assert.All(dataset.Items, i =>
        {
            Assert.InRange(int.Parse(i.Question.Expected, System.Globalization.CultureInfo.InvariantCulture), 0, 999);
            Assert.DoesNotContain("[asy]", i.Question.Text, StringComparison.Ordinal);
        });
    }
}
