using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime bench ...</c>: the paper's experiments on your data and models.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Evaluate sleep-time compute: convert or generate data, run arms, report, compare.");
        command.Subcommands.Add(BenchRunCommand.Create());
        command.Subcommands.Add(BenchConvertCommand.Create());
        command.Subcommands.Add(BenchGenerateCommand.Create());
        command.Subcommands.Add(BenchReportCommand.Create());
        command.Subcommands.Add(BenchCompareCommand.Create());
        command.Subcommands.Add(BenchPredictabilityCommand.Create());
        command.Subcommands.Add(BenchMultiQueryCommand.Create());
        command.Subcommands.Add(BenchCodebaseCommand.Create());
        return command;
    }

    /// <summary>Runs an action and turns expected failures (bad input, missing files) into a message and exit code 2.</summary>
    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SleepTimeException or IOException or UnauthorizedAccessException or InvalidDataException or Microsoft.Extensions.Options.OptionsValidationException or HttpRequestException)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return 2;
        }
    }
}
