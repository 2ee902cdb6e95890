using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SleepTime.Bench.Generation;
using SleepTime.Providers.Local.Embedded;

namespace SleepTime.Cli.Tests;

/// <summary>
/// The README's first minute as a newcomer runs it: <c>sleeptime serve</c> as a real process with no endpoint
/// configured, so on the embedded sleeptime-tiny, then the README's own <c>sleeptime</c> lines, in order.
/// </summary>
[Collection(ServeProcesses.Name)]
public sealed partial class FirstMinuteTests : IDisposable
{
    private const string Key = "st_first_minute_admin_key";

    private readonly string data = Path.Combine(Path.GetTempPath(), "sleeptime-cli-tests", Guid.NewGuid().ToString("N") + ".db");

    [Fact]
    public async Task The_readmes_commands_on_the_embedded_model_answer_correctly_from_the_learned_context_with_fewer_tokens_than_the_baseline()
    {
        var readme = File.ReadAllText(FindReadme());
        var section = readme[readme.IndexOf("## The first minute", StringComparison.Ordinal)..];
        var block = section[(section.IndexOf("```bash\n", StringComparison.Ordinal) + 8)..];
        var commands = block[..block.IndexOf("```", StringComparison.Ordinal)].Split('\n').Where(l => l.StartsWith("sleeptime ", StringComparison.Ordinal)).Select(Words).ToList();
        var stated = StatedAnswer().Match(section).Groups["answer"].Value;

        // The README's context is a held-out problem of the generator, and its stated answer is the true one.
        var text = commands.Single(c => c[1] == "context").Last();
        var question = commands.First(c => c[1] == "ask")[3];
        var problem = new WordProblemGenerator().Generate(7, 18, 1, 10).Single(c => c.Text == text);
        Assert.Equal(problem.Questions.Single(q => q.Text == question).Answer.ToString(System.Globalization.CultureInfo.InvariantCulture), stated);

        var url = $"http://127.0.0.1:{ServeProcess.FreePort()}";
        using var served = ServeProcess.Start(["serve", "--urls", url, "--data", data, $"--SleepTime:Server:AdminKey={Key}"]);
        await served.WaitForLineAsync(l => l.Contains("Application started", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Single(served.Lines, l => l.Contains(EmbeddedModel.Notice, StringComparison.Ordinal));

        var outputs = new List<JsonElement>();
        foreach (var command in commands)
        {
            var run = await CliRun.InvokeAsync([.. command.Skip(1), "--server", url, "--key", Key]);
            Assert.True(run.Exit == 0, $"{string.Join(' ', command)} exited {run.Exit}: {run.Error}\nserver: {served.Output}");
            outputs.Add(JsonDocument.Parse(run.Output).RootElement.Clone());
        }

        var asks = outputs.Where((_, i) => commands[i][1] == "ask").ToList();
        var (sleepTime, baseline) = (asks[0], asks[1]);
        Assert.Equal("sleep_time", sleepTime.GetProperty("arm").GetString());
        Assert.True(sleepTime.GetProperty("learned_version").GetInt64() >= 1, sleepTime.ToString());
        var learned = outputs[^1].ToString();
        var runs = await CliRun.InvokeAsync(["runs", "--context", "bakery", "--server", url, "--key", Key]);
        Assert.True(StatedAnswer().Match(section).Value.Trim('`') == sleepTime.GetProperty("answer").GetString(),
            $"sleep-time answered {sleepTime}\nlearned context: {learned}\nruns: {runs.Output}{runs.Error}\nserver: {served.Output}");
        Assert.EndsWith(stated, sleepTime.GetProperty("final_answer").GetString(), StringComparison.Ordinal);
        Assert.Equal("baseline", baseline.GetProperty("arm").GetString());
        var sleepTokens = sleepTime.GetProperty("usage").GetProperty("output_tokens").GetInt64();
        var baselineTokens = baseline.GetProperty("usage").GetProperty("output_tokens").GetInt64();
        Assert.True(sleepTokens * 3 <= baselineTokens, $"sleep-time {sleepTokens} output tokens, baseline {baselineTokens}");
        Assert.Equal(EmbeddedModel.Name, sleepTime.GetProperty("model").GetString());
    }

    public void Dispose()
    {
        foreach (var file in new[] { data, data + "-wal", data + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>A command line's words as a POSIX shell splits them (single and double quotes, no expansion), without a trailing comment.</summary>
    private static string[] Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is '\'' or '"')
            {
                var end = line.IndexOf(c, i + 1);
                word.Append(line, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else if (c == ' ')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return [.. words];
    }

    private static string FindReadme()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "README.md")) && Directory.Exists(Path.Combine(folder.FullName, "src", "SleepTime.Cli")))
            {
                return Path.Combine(folder.FullName, "README.md");
            }
        }

        throw new FileNotFoundException("README.md is not in a folder above the test's output.");
    }

    [GeneratedRegex(@"`The answer is (\[[^\]]+\] )?(?<answer>\d+)\.`")]
    private static partial Regex StatedAnswer();
}

/// <summary>Tests that start <c>sleeptime serve</c> processes, run one at a time: each process and its model calls get the machine's cores to themselves.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServeProcesses
{
    public const string Name = "serve processes";
}
