using SleepTime.Bench.Datasets;
using SleepTime.Bench.Generation;
using SleepTime.Bench.Tests.Support;

namespace SleepTime.Bench.Tests.Generation;

public sealed class WordProblemGeneratorTests
{
    [Fact]
    public void Has_at_least_fifteen_templates_across_several_domains()
    {
        Assert.True(WordProblemTemplates.All.Count >= 15);
        Assert.True(WordProblemTemplates.All.Select(t => t.Domain).Distinct().Count() >= 10);
        Assert.Equal(WordProblemTemplates.All.Count, WordProblemTemplates.All.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void The_same_seed_gives_the_same_problems_and_another_seed_different_ones()
    {
        var generator = new WordProblemGenerator();

        var first = generator.Generate(seed: 7, contexts: 40).ToList();
        var again = generator.Generate(seed: 7, contexts: 40).ToList();
        var other = generator.Generate(seed: 8, contexts: 40).ToList();

        Assert.Equal(Describe(first), Describe(again));
        Assert.NotEqual(Describe(first), Describe(other));
    }

    [Fact]
    public void Every_template_yields_exact_answers_that_its_steps_reproduce()
    {
        var generator = new WordProblemGenerator();

        foreach (var context in generator.Generate(seed: 1, contexts: WordProblemTemplates.All.Count * 10, minQuestions: 4, maxQuestions: 4))
        {
            Assert.NotEmpty(context.Questions);
            foreach (var question in context.Questions)
            {
                Assert.True(question.Answer >= 0);
                Assert.Equal(question.Answer, question.Steps[^1].Value);
                Assert.All(question.Steps, s => Assert.Equal(s.Value, Formula.Parse(s.Substituted).Evaluate(new Dictionary<string, long>())));
                Assert.DoesNotContain("{", question.Text, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("{", context.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Steps_that_read_a_quantity_the_question_introduces_are_not_computable_from_the_context()
    {
        var template = WordProblemTemplate.Define("t", "test")
            .Quantity("a", 2, 2).Quantity("b", 5, 5)
            .Sentence("There are {a} boxes with {b} pens each.")
            .Step("pens", "a * b", "Pens")
            .Question("How many pens are there?", "pens")
            .Question("If {c} pens are lost, how many are left?", q => q.Quantity("c", 1, 1).Step("left", "pens - c", "Pens left").Answer("left * 2", "Double"))
            .Build();

        var context = new WordProblemGenerator([template]).GenerateOne(template, new Random(1), "x", 2);

        Assert.Equal("There are 2 boxes with 5 pens each.", context.Text);
        Assert.Equal(10, context.Questions[0].Answer);
        Assert.True(context.Questions[0].Steps.Single().FromContextOnly);
        var lost = context.Questions[1];
        Assert.Equal("If 1 pens are lost, how many are left?", lost.Text);
        Assert.Equal(18, lost.Answer);
        Assert.Equal([("pens", true), ("left", false), ("answer", false)], lost.Steps.Select(s => (s.Name, s.FromContextOnly)));
        Assert.EndsWith("#### 18", lost.Solution(), StringComparison.Ordinal);
    }

    [Fact]
    public void From_context_only_keeps_the_same_contexts_and_exactly_the_questions_the_context_alone_answers()
    {
        var count = WordProblemTemplates.All.Count * 3;
        var all = new WordProblemGenerator().Generate(seed: 7, contexts: count, minQuestions: 10, maxQuestions: 10).ToList();
        var fromContext = new WordProblemGenerator(WordProblemTemplates.FromContextOnly).Generate(seed: 7, contexts: count, minQuestions: 10, maxQuestions: 10).ToList();

        Assert.Equal(all.Select(c => (c.Id, c.TemplateId, c.Text)), fromContext.Select(c => (c.Id, c.TemplateId, c.Text)));
        Assert.All(fromContext, c => Assert.NotEmpty(c.Questions));
        Assert.All(fromContext.SelectMany(c => c.Questions), q => Assert.All(q.Steps, s => Assert.True(s.FromContextOnly, $"{q.Text}: step {s.Name} needs the question")));
        for (var i = 0; i < count; i++)
        {
            var expected = all[i].Questions.Where(q => q.Steps.All(s => s.FromContextOnly)).Select(q => (q.Text, q.Answer)).Order();
            Assert.Equal(expected, fromContext[i].Questions.Select(q => (q.Text, q.Answer)).Order());
        }

        Assert.Contains(all.SelectMany(c => c.Questions), q => !q.Steps[^1].FromContextOnly);
    }

    [Fact]
    public void A_template_whose_every_question_brings_its_own_numbers_cannot_be_limited_to_the_context()
    {
        var template = WordProblemTemplate.Define("t", "test")
            .Quantity("a", 2, 2)
            .Sentence("There are {a} boxes.")
            .Question("If {c} boxes are added, how many are there?", q => q.Quantity("c", 1, 1).Answer("a + c", "Boxes"))
            .Build();

        var error = Assert.Throws<InvalidOperationException>(template.WithQuestionsFromContextOnly);
        Assert.Contains("'t'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multi_query_output_is_read_back_as_contexts_with_several_questions()
    {
        using var temp = new TempFolder();
        var path = temp.File("generated.jsonl");
        var contexts = new WordProblemGenerator().Generate(seed: 3, contexts: 20, minQuestions: 3, maxQuestions: 10).ToList();

        WordProblemGenerator.WriteJsonl(path, contexts);
        var dataset = StatefulDatasetReader.Read(path);

        Assert.Equal(20, dataset.Contexts.Count);
        Assert.Equal(contexts.Sum(c => c.Questions.Count), dataset.QuestionCount);
        Assert.All(dataset.Contexts, c => Assert.InRange(c.Questions.Count, 3, 10));
        Assert.Equal(contexts.SelectMany(c => c.Questions).Select(q => q.Answer.ToString(System.Globalization.CultureInfo.InvariantCulture)), dataset.Items.Select(i => i.Question.Expected));
    }

    [Fact]
    public void Builder_rejects_names_that_are_not_defined_yet()
    {
        Assert.Throws<InvalidOperationException>(() => WordProblemTemplate.Define("t", "d").Quantity("a", 1, 2).Step("x", "a * b", "x"));
        Assert.Throws<InvalidOperationException>(() => WordProblemTemplate.Define("t", "d").Sentence("{missing} apples."));
    }

    private static string Describe(IEnumerable<GeneratedContext> contexts) =>
        string.Join("\n", contexts.Select(c => c.Text + "|" + string.Join("|", c.Questions.Select(q => q.Text + "=" + q.Answer))));
}
