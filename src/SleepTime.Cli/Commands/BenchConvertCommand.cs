using System.CommandLine;
using SleepTime.Bench.Datasets.Conversion;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime bench convert gsm|aime</c>: raw sources to the paper's stateful formats.</summary>
internal static class BenchConvertCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Raw JSONL file.", Required = true };
        var output = new Option<string>("--output") { Description = "Stateful JSONL file to write.", Required = true };
        var repair = new Option<bool>("--repair") { Description = "GSM: split at sentence ends only (keeps decimals like $0.7 and abbreviations whole) and keep a trailing instruction with its question, instead of the paper's exact split on every '.'." };
        var overrides = new Option<string?>("--overrides") { Description = "AIME: JSON file {\"<id or line>\": {\"question_statement\": -2} | {\"question\": \"text\"}} for problems whose question is not last, or whose query is not a question (the converter warns about those)." };

        var gsm = new Command("gsm", "Raw GSM-Symbolic (question, answer) to Stateful GSM-Symbolic.") { input, output, repair };
        gsm.SetAction(parse => BenchCommand.Guard(() =>
        {
            var result = DatasetConverter.ConvertGsmSymbolic(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(repair));
            return Task.FromResult(Report(result, parse.GetValue(output)!));
        }));

        var aime = new Command("aime", "Raw AIME (problem, answer; 2024 and 2025 layouts) to Stateful AIME.") { input, output, overrides };
        aime.SetAction(parse => BenchCommand.Guard(() =>
        {
            var table = parse.GetValue(overrides) is { } path ? SplitOverride.ReadFile(path) : null;
            var result = DatasetConverter.ConvertAime(parse.GetValue(input)!, parse.GetValue(output)!, table);
            return Task.FromResult(Report(result, parse.GetValue(output)!));
        }));

        return new Command("convert", "Convert raw GSM-Symbolic or AIME files to the stateful format.") { gsm, aime };
    }

    private static int Report(ConversionResult result, string output)
    {
        Console.WriteLine($"Wrote {result.Written} rows to {output}.");
        foreach (var skipped in result.Skipped)
        {
            Console.Error.WriteLine("skipped " + skipped);
        }

        foreach (var warning in result.Warnings)
        {
            Console.Error.WriteLine("warning: " + warning);
        }

        if (result.Warnings.Count > 0)
        {
            Console.Error.WriteLine($"{result.Warnings.Count} of {result.Written} queries need a look (see the warnings); pass the fixes with --overrides.");
        }

        return 0;
    }
}
