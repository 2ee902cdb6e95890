using System.CommandLine;
using SleepTime.Bench.Reports;
using SleepTime.Grading;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime bench report DIR</c>: (re)writes summary.json, report.md and plots from stored results.</summary>
internal static class BenchReportCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "A `bench run` results folder." };
        var grading = new Option<GradingMode>("--grading") { Description = "Primary grading mode for frontiers and plots (both are always reported).", DefaultValueFactory = _ => GradingMode.Paper };
        var command = new Command("report", "Write report.md, summary.json and plots for a results folder.") { folder, grading };
        command.SetAction(parse => BenchCommand.Guard(() =>
        {
            var path = parse.GetValue(folder)!;
            var summary = ReportWriter.Write(path, parse.GetValue(grading));
            Console.WriteLine($"Wrote {Path.Combine(path, MarkdownReport.FileName)} and {SummaryFile.FileName} ({summary.Arms.Count} arms).");
            return Task.FromResult(0);
        }));
        return command;
    }
}
