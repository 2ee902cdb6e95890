using System.CommandLine;
using SleepTime.Bench.Reports;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime bench compare A B</c>: two result sets side by side.</summary>
internal static class BenchCompareCommand
{
    public static Command Create()
    {
        var first = new Argument<string>("a") { Description = "First results folder (or its summary.json)." };
        var second = new Argument<string>("b") { Description = "Second results folder (or its summary.json)." };
        var output = new Option<string?>("--out") { Description = "Write the comparison to this Markdown file instead of the console." };
        var command = new Command("compare", "Lay two result sets side by side, arm by arm, with the paired difference of each shared arm and its interval.") { first, second, output };
        command.SetAction(parse => BenchCommand.Guard(() =>
        {
            var (a, b) = (parse.GetValue(first)!, parse.GetValue(second)!);
            var paired = RunComparison.IsResultsFolder(a) && RunComparison.IsResultsFolder(b) ? RunComparison.Paired(a, b) : null;
            var markdown = MarkdownReport.Compare(Load(a), a, Load(b), b, paired);
            if (parse.GetValue(output) is { } path)
            {
                File.WriteAllText(path, markdown);
                Console.WriteLine($"Wrote {path}.");
            }
            else
            {
                Console.Write(markdown);
            }

            return Task.FromResult(0);
        }));
        return command;
    }

    private static Bench.Metrics.BenchSummary Load(string path) =>
        SummaryFile.Read(Directory.Exists(path) ? Path.Combine(path, SummaryFile.FileName) : path);
}
