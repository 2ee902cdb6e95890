using SleepTime.Bench.Datasets;
using SleepTime.Bench.MultiQuery;
using SleepTime.Bench.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Bench.Tests.MultiQuery;

public class MultiQueryGeneratorTests
{
    private static readonly BenchDataset Orchard = new("orchard", DatasetKind.Gsm,
    [
        new BenchContext("apples", "An orchard has 12 rows of 8 apple trees. Each tree gives 30 apples.", [new BenchQuestion("apples/q1", "How many trees are there?", "96")]),
        new BenchContext("pears", "A shop sells pears at $2 each and sold 40 on Monday.", [new BenchQuestion("pears/q1", "How much money did the shop make on Monday?", "80")]),
    ]);

    [Fact]
    public void Well_formed_blocks_are_kept_and_malformed_ones_dropped()
    {
        const string reply = """
            Question: How many apples does one row give?
            Answer: 8 trees * 30 = 240 #### 240

            **Question:** What is the total harvest?
            **Answer:** 96 * 30 = 2,880 #### 2,880

            Question: How much is the harvest worth at $1 each?
            Answer: 2880 * $1 #### $2,880.

            Question: Is this a lot of apples?
            Answer: Yes, quite a lot. #### many

            Question: How many rows?
            Answer: It says twelve.
            """;

        var parsed = GeneratedQuestionParser.Parse(reply, DatasetKind.Gsm);

        Assert.Equal(["240", "2880", "2880"], parsed.Select(q => q.Answer));
        Assert.Equal("What is the total harvest?", parsed[1].Question);
        Assert.Equal("96 * 30 = 2,880", parsed[1].Solution);
    }

    [Theory]
    [InlineData("073", true)]
    [InlineData("999", true)]
    [InlineData("1000", false)]
    [InlineData("-4", false)]
    [InlineData("2.5", false)]
    public void Aime_answers_must_be_integers_from_0_to_999(string answer, bool kept)
    {
        var parsed = GeneratedQuestionParser.Parse($"Question: Find n.\nAnswer: work #### {answer}", DatasetKind.Aime);

        Assert.Equal(kept ? 1 : 0, parsed.Count);
    }

    [Fact]
    public async Task Each_context_gets_new_questions_and_repeats_of_existing_ones_are_dropped()
    {
        var model = new ScriptedChatClient(call => ScriptedReply.Text(call.LastUserText.Contains("orchard", StringComparison.Ordinal)
            ? "Question: how many trees are there\nAnswer: again #### 96\nQuestion: How many apples in total?\nAnswer: 96*30 #### 2880\nQuestion: How many apples per row?\nAnswer: 8*30 #### 240"
            : "Question: How many pears were sold?\nAnswer: #### 40\nQuestion: What would 50 pears cost?\nAnswer: 50*2 #### 100\nQuestion: And 10 pears?\nAnswer: #### 20"));

        var result = await new MultiQueryGenerator(model).GenerateAsync(Orchard, questionsPerContext: 3);

        var apples = result.Dataset.Contexts[0];
        Assert.Equal(["How many trees are there?", "How many apples in total?", "How many apples per row?"], apples.Questions.Select(q => q.Text));
        Assert.Equal(["96", "2880", "240"], apples.Questions.Select(q => q.Expected));
        Assert.Equal(["apples/q1", "apples/mq1", "apples/mq2"], apples.Questions.Select(q => q.Id));
        Assert.Equal(4, result.Dataset.Contexts[1].Questions.Count);
        Assert.Equal((5, 1, 1, 0), (result.Added, result.Rejected, result.ContextsShort, result.ContextsFailed));
        Assert.Equal(new TokenUsage(200, 40), result.Usage);
    }

    [Fact]
    public async Task The_prompt_shows_the_context_and_the_example_with_its_answer()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.Text("nothing useful"));

        await new MultiQueryGenerator(model).GenerateAsync(Orchard with { Contexts = [Orchard.Contexts[0]] }, questionsPerContext: 4);

        var prompt = Assert.Single(model.Calls).LastUserText;
        Assert.Contains("An orchard has 12 rows of 8 apple trees.", prompt, StringComparison.Ordinal);
        Assert.Contains("Example question: How many trees are there?", prompt, StringComparison.Ordinal);
        Assert.Contains("Example answer: #### 96", prompt, StringComparison.Ordinal);
        Assert.Contains("Write 4 new questions", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_call_keeps_that_context_as_it_was_and_the_rest_go_on()
    {
        var model = new ScriptedChatClient(call => call.LastUserText.Contains("pears", StringComparison.Ordinal)
            ? throw new HttpRequestException("503")
            : ScriptedReply.Text("Question: How many apples in total?\nAnswer: #### 2880"));

        var result = await new MultiQueryGenerator(model).GenerateAsync(Orchard, questionsPerContext: 1);

        Assert.Equal(1, result.ContextsFailed);
        Assert.Equal("pears: 503", result.FirstError);
        Assert.Equal(2, result.Dataset.Contexts[0].Questions.Count);
        Assert.Equal(Orchard.Contexts[1].Questions, result.Dataset.Contexts[1].Questions);
    }

    [Fact]
    public async Task The_written_file_reads_back_as_multi_query_contexts()
    {
        using var folder = new TempFolder();
        var model = new ScriptedChatClient(_ => ScriptedReply.Text("Question: What is double the first answer?\nAnswer: x2 #### 7.5"));
        var result = await new MultiQueryGenerator(model).GenerateAsync(Orchard, questionsPerContext: 1);

        MultiQueryGenerator.Write(folder.File("mq.jsonl"), result.Dataset);
        var reread = StatefulDatasetReader.Read(folder.File("mq.jsonl"));

        Assert.Equal(DatasetKind.Gsm, reread.Kind);
        Assert.Equal(result.Dataset.Contexts.Select(c => (c.Id, c.Text)), reread.Contexts.Select(c => (c.Id, c.Text)));
        Assert.Equal(result.Dataset.Items.Select(i => (i.Question.Id, i.Question.Text, i.Question.Expected)), reread.Items.Select(i => (i.Question.Id, i.Question.Text, i.Question.Expected)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public async Task The_number_of_questions_must_be_sensible(int questions)
    {
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => new MultiQueryGenerator(new ScriptedChatClient()).GenerateAsync(Orchard, questions));
    }
}
