using System.Text.Json;
using System.Text.RegularExpressions;
using SleepTime.Bench.Datasets;
using SleepTime.Bench.Datasets.Conversion;
using SleepTime.Bench.Tests.Support;

namespace SleepTime.Bench.Tests.Datasets;

public sealed class GsmSymbolicSplitterTests
{
    [Fact]
    public void Paper_rule_takes_the_last_dot_piece_as_the_query_and_joins_the_rest()
    {
        var split = GsmSymbolicSplitter.SplitPaper("A ferry carries 12 cars on each trip. It makes 5 trips every morning. How many cars does it carry each morning?");

        Assert.Equal("A ferry carries 12 cars on each trip. It makes 5 trips every morning.", split.Context);
        Assert.Equal("How many cars does it carry each morning?", split.Question);
    }

    [Fact]
    public void Paper_rule_breaks_decimals_and_the_repair_keeps_them()
    {
        const string question = "A bottle of juice costs $1.5 and a sandwich costs $3.25. Lena buys 2 bottles and 2 sandwiches. How much does Lena spend?";

        var paper = GsmSymbolicSplitter.SplitPaper(question);
        var repaired = GsmSymbolicSplitter.SplitRepaired(question);

        Assert.Equal("A bottle of juice costs $1. 5 and a sandwich costs $3. 25. Lena buys 2 bottles and 2 sandwiches.", paper.Context);
        Assert.Equal("A bottle of juice costs $1.5 and a sandwich costs $3.25. Lena buys 2 bottles and 2 sandwiches.", repaired.Context);
        Assert.Equal("How much does Lena spend?", repaired.Question);
    }

    [Fact]
    public void Paper_rule_takes_a_trailing_instruction_as_the_query_and_the_repair_keeps_the_real_query()
    {
        const string question = "A pool holds 900 liters. A hose adds 30 liters a minute. Find how many minutes it takes to fill the pool. Round to the nearest minute.";

        Assert.Equal("Round to the nearest minute", GsmSymbolicSplitter.SplitPaper(question).Question);
        var repaired = GsmSymbolicSplitter.SplitRepaired(question);
        Assert.Equal("Find how many minutes it takes to fill the pool. Round to the nearest minute.", repaired.Question);
        Assert.Equal("A pool holds 900 liters. A hose adds 30 liters a minute.", repaired.Context);
    }

    [Fact]
    public void Repair_keeps_abbreviations_whole_and_starts_the_query_at_the_last_question_mark()
    {
        var repaired = GsmSymbolicSplitter.SplitRepaired("Mr. Okafor grades 30 essays a day. He grades for 4 days. How many essays does he grade? Give your answer as a whole number.");

        Assert.Equal("Mr. Okafor grades 30 essays a day. He grades for 4 days.", repaired.Context);
        Assert.Equal("How many essays does he grade? Give your answer as a whole number.", repaired.Question);
    }

    [Fact]
    public void A_single_sentence_cannot_be_split()
    {
        Assert.Throws<FormatException>(() => GsmSymbolicSplitter.SplitPaper("How many cars are there?"));
        Assert.Throws<FormatException>(() => GsmSymbolicSplitter.SplitRepaired("How many cars are there?"));
    }

    [Fact]
    public void Converter_writes_stateful_rows_that_the_reader_reads_back()
    {
        using var temp = new TempFolder();
        var output = temp.File("stateful.jsonl");

        var result = DatasetConverter.ConvertGsmSymbolic(Fixture.Path("raw-gsm.jsonl"), output, repair: true);
        var dataset = StatefulDatasetReader.Read(output);

        Assert.Equal(4, result.Written);
        Assert.Empty(result.Skipped);
        Assert.Equal(DatasetKind.Gsm, dataset.Kind);
        Assert.Equal(4, dataset.QuestionCount);
        Assert.Equal(["60", "9.5", "120", "30"], dataset.Items.Select(i => i.Question.Expected));
        Assert.Equal("How much does Lena spend?", dataset.Contexts[1].Questions[0].Text);
    }

    [SharedDataFact("gsm-symbolic/generated_data/GSM_p2.jsonl")]
    public void Paper_rule_on_real_GSM_P2_rows_splits_every_row_and_breaks_decimals_that_the_repair_keeps()
    {
        var rows = File.ReadLines(SharedData.File("gsm-symbolic/generated_data/GSM_p2.jsonl")!)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("question").GetString()!)
            .ToList();
        var decimalRows = 0;

        foreach (var question in rows)
        {
            var paper = GsmSymbolicSplitter.SplitPaper(question);
            var pieces = question.Split('.').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
            Assert.Equal(pieces[^1], paper.Question);
            Assert.EndsWith(".", paper.Context, StringComparison.Ordinal);
            Assert.DoesNotContain("..", paper.Context, StringComparison.Ordinal);

            var repaired = GsmSymbolicSplitter.SplitRepaired(question);
            Assert.Equal(Regex.Replace(question.Trim(), @"\s+", " "), repaired.Context + " " + repaired.Question);
            if (question.Contains('?'))
            {
                Assert.Contains("?", repaired.Question, StringComparison.Ordinal);
            }

            foreach (Match number in Regex.Matches(question, @"\d+\.\d+"))
            {
                decimalRows++;
                Assert.DoesNotContain(number.Value, paper.Context + paper.Question, StringComparison.Ordinal);
                Assert.Contains(number.Value, repaired.Context + " " + repaired.Question, StringComparison.Ordinal);
            }
        }

        Assert.Equal(2500, rows.Count);
        Assert.True(decimalRows > 0, "GSM-Symbolic P2 has decimals such as $0.7; the split rule must be checked on them.");
    }

    [SharedDataFact("gsm-symbolic/generated_data/GSM_p2.jsonl")]
    public void Real_GSM_P2_converts_to_a_stateful_file_with_one_question_per_row()
    {
        using var temp = new TempFolder();
        var output = temp.File("p2.jsonl");

        var result = DatasetConverter.ConvertGsmSymbolic(SharedData.File("gsm-symbolic/generated_data/GSM_p2.jsonl")!, output, repair: false);
        var dataset = StatefulDatasetReader.Read(output);

        Assert.Equal(2500, result.Written);
        Assert.Equal(2500, dataset.QuestionCount);
        Assert.All(dataset.Items, i => Assert.Matches(@"^-?[\d.]+$", i.Question.Expected));
    }
}
