using System.CommandLine;

namespace SleepTime.Cli.Tests;

/// <summary>One in-process <c>sleeptime</c> invocation: its exit code and what it wrote to its output and error.</summary>
public sealed record CliRun(int Exit, string Output, string Error)
{
    public static async Task<CliRun> InvokeAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var output = new SharedWriter();
        var error = new SharedWriter();
        var exit = await InvokeAsync(args, output, error, cancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public static Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        CliApp.CreateRoot().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
}
