using SleepTime.Bench.Datasets;
using SleepTime.Bench.Tests.Support;

namespace SleepTime.Bench.Tests.Datasets;

public sealed class StatefulDatasetReaderTests
{
    [Fact]
    public void Reads_stateful_GSM_and_groups_questions_that_share_a_context()
    {
        var dataset = StatefulDatasetReader.Read(Fixture.Path("stateful-gsm.jsonl"));

        Assert.Equal(DatasetKind.Gsm, dataset.Kind);
        Assert.Equal(2, dataset.Contexts.Count);
        Assert.Equal(2, dataset.Contexts[0].Questions.Count);
        Assert.Equal(["60", "15", "1200"], dataset.Items.Select(i => i.Question.Expected));
        Assert.Equal("c0001/q2", dataset.Contexts[0].Questions[1].Id);
    }

    [Fact]
    public void Reads_stateful_AIME_with_numeric_or_string_integer_answers()
    {
        var dataset = StatefulDatasetReader.Read(Fixture.Path("stateful-aime.jsonl"));

        Assert.Equal(DatasetKind.Aime, dataset.Kind);
        Assert.Equal(["9", "49"], dataset.Items.Select(i => i.Question.Expected));
        Assert.Equal("Find its area.", dataset.Contexts[1].Questions[0].Text);
    }

    [Fact]
    public void A_missing_file_is_named_in_the_error()
    {
        var error = Assert.Throws<DatasetFormatException>(() => StatefulDatasetReader.Read("/nowhere/data.jsonl"));
        Assert.Contains("/nowhere/data.jsonl", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"stateful_gsm_symbolic_context\": \"A.\", \"stateful_gsm_symbolic_question\": \"B?\", \"answer\": \"#### 1\"}\n{not json}\n", 2, "not valid JSON")]
    [InlineData("{\"stateful_gsm_symbolic_context\": \"A.\", \"stateful_gsm_symbolic_question\": \"B?\", \"answer\": \"1\"}\n", 1, "####")]
    [InlineData("\n{\"stateful_gsm_symbolic_context\": \"A.\", \"answer\": \"#### 1\"}\n", 2, "stateful_gsm_symbolic_question")]
    [InlineData("{\"stateful_aime_context\": \"A.\", \"stateful_aime_question\": \"B?\", \"answer\": \"12.5\"}\n", 1, "integer")]
    [InlineData("{\"question\": \"A. B?\", \"answer\": \"#### 1\"}\n", 1, "convert it first")]
    [InlineData("[1, 2]\n", 1, "JSON object")]
    public void Bad_rows_are_reported_with_their_line_number(string content, int line, string expected)
    {
        using var temp = new TempFolder();
        var path = temp.Write("bad.jsonl", content);

        var error = Assert.Throws<DatasetFormatException>(() => StatefulDatasetReader.Read(path));

        Assert.Equal(line, error.Line);
        Assert.Contains($"line {line}", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
