using SleepTime.Bench.Datasets;
using SleepTime.Bench.Datasets.Memory;
using SleepTime.Bench.Tests.Support;

namespace SleepTime.Bench.Tests.Datasets;

public sealed class MemoryReaderTests
{
    [Fact]
    public void LongMemEval_gives_one_dated_conversation_context_per_question_with_its_type()
    {
        var dataset = BenchDatasets.Read(Fixture.Path("longmemeval-mini.json"));

        Assert.Equal(DatasetKind.LongMemEval, dataset.Kind);
        Assert.Equal(4, dataset.Contexts.Count);
        var first = dataset.Contexts[0];
        Assert.Equal("lme-001", first.Id);
        Assert.StartsWith("Session s-a (2023/05/01 (Mon) 10:00):\nuser: I just adopted a beagle called Biscuit.\nassistant: Congratulations", first.Text, StringComparison.Ordinal);
        Assert.Contains("\nSession s-b (2023/05/20 (Sat) 18:30):\nuser: Can you suggest a pasta recipe?", first.Text, StringComparison.Ordinal);
        var question = Assert.Single(first.Questions);
        Assert.Equal("Current date: 2023/06/10 (Sat) 09:15\nQuestion: What breed is my dog?", question.Text);
        Assert.Equal("a beagle", question.Expected);
        Assert.Equal("single-session-user", question.Category);
        Assert.Equal("12", dataset.Contexts[1].Questions[0].Expected);       // a numeric answer becomes text
        Assert.Equal(["single-session-user", "temporal-reasoning", "knowledge-update", LongMemEvalReader.Abstention], dataset.Items.Select(i => i.Question.Category));
    }

    [Fact]
    public void LoCoMo_gives_one_context_per_conversation_with_all_its_questions_by_category()
    {
        var dataset = BenchDatasets.Read(Fixture.Path("locomo-mini.json"));

        Assert.Equal(DatasetKind.LoCoMo, dataset.Kind);
        var context = Assert.Single(dataset.Contexts);
        Assert.Equal("conv-mini-1", context.Id);
        Assert.Equal(
            "Conversation between Ana and Ben.\n\nSession 1 (3:00 pm on 2 May, 2023):\nAna: I have started playing the cello again.\nBen: Nice! I am just back from Oslo. [shares an image: a photo of a harbour]\n\n" +
            "Session 2 (7:30 pm on 20 June, 2023):\nAna: I played my first concert this month!\nBen: Congrats. I went on to Bergen after Oslo.\n",
            context.Text);
        Assert.Equal(["single-hop", "temporal", "multi-hop", "adversarial"], context.Questions.Select(q => q.Category));
        Assert.Equal(["the cello", "June 2023", "Oslo, Bergen", LoCoMoReader.NotMentioned], context.Questions.Select(q => q.Expected));
        Assert.Equal("conv-mini-1/qa3", context.Questions[2].Id);
    }

    [Fact]
    public void A_json_array_in_neither_layout_is_a_clear_error()
    {
        using var temp = new TempFolder();
        var path = temp.Write("other.json", """[{"title": "x", "body": "y"}]""");

        var error = Assert.Throws<DatasetFormatException>(() => BenchDatasets.Read(path));

        Assert.Contains("neither LongMemEval", error.Message, StringComparison.Ordinal);
        Assert.Contains("title", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_is_a_data_set_error_not_a_parser_stack_trace()
    {
        using var temp = new TempFolder();
        var whole = File.ReadAllText(Fixture.Path("longmemeval-mini.json"));
        var path = temp.Write("cut.json", whole[..(whole.Length / 2)]);

        var error = Assert.Throws<DatasetFormatException>(() => BenchDatasets.Read(path));

        Assert.Contains("cut.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_LongMemEval_question_without_its_history_names_the_question()
    {
        using var temp = new TempFolder();
        var path = temp.Write("bad.json", """[{"question_id": "q9", "question_type": "multi-session", "question": "Where?", "answer": "Here"}]""");

        var error = Assert.Throws<DatasetFormatException>(() => BenchDatasets.Read(path));

        Assert.Contains("question 1 (\"q9\") lacks", error.Message, StringComparison.Ordinal);
    }
}

public sealed class SyntheticLongMemEvalTests
{
    [Fact]
    public void The_synthetic_file_reads_back_as_LongMemEval_at_the_asked_size_with_the_answer_planted()
    {
        using var temp = new TempFolder();
        var path = temp.File("syn.json");

        SyntheticLongMemEval.Write(path, seed: 3, questions: 2, contextTokens: 20_000);
        var dataset = BenchDatasets.Read(path);

        Assert.Equal(DatasetKind.LongMemEval, dataset.Kind);
        Assert.Equal(2, dataset.Contexts.Count);
        Assert.All(dataset.Contexts, c =>
        {
            var tokens = O200kTokenCounter.Instance.CountTokens(c.Text);
            Assert.InRange(tokens, 16_000, 24_000);
            Assert.Contains($"is {c.Questions[0].Expected}.", c.Text, StringComparison.Ordinal);
        });
        Assert.Equal(["single-session-user", "single-session-assistant"], dataset.Items.Select(i => i.Question.Category));
    }
}
