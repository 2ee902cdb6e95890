using SleepTime.Bench.Generation;
using SleepTime.Providers.Local.Embedded;

namespace SleepTime.TinyModel.Tests;

/// <summary>The quick-start sample with no endpoint: the whole loop on the embedded model, with a correct answer from the learned context.</summary>
public sealed class QuickStartSampleTests
{
    [Fact]
    public async Task With_no_endpoint_the_quick_start_sleeps_and_answers_correctly_on_the_embedded_model_and_says_so_once()
    {
        var problem = new WordProblemGenerator().Generate(ParetoTests.HeldOutSeed, 18, 1, 10).Single(c => c.Text == EmbeddedDemo.Context);
        var expected = problem.Questions.Single(q => q.Text == EmbeddedDemo.Question).Answer;
        var output = new StringWriter();

        Assert.Equal(0, await EmbeddedDemo.RunAsync(output));

        var lines = output.ToString().Split('\n');
        Assert.Single(lines, l => l.Contains(EmbeddedModel.Notice, StringComparison.Ordinal));
        Assert.StartsWith("learned context v1, ", lines[1], StringComparison.Ordinal);
        var sleepTime = lines.Single(l => l.StartsWith("sleep-time (", StringComparison.Ordinal));
        Assert.Contains("c' v1): The answer is ", sleepTime, StringComparison.Ordinal);
        Assert.EndsWith($" {expected}.", sleepTime, StringComparison.Ordinal);
    }
}
