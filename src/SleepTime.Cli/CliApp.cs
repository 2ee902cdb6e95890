using System.CommandLine;
using SleepTime.Cli.Commands;

namespace SleepTime.Cli;

/// <summary>The <c>sleeptime</c> command tree: one file per command under Commands/.</summary>
public static class CliApp
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("SleepTime: think about a context before the questions arrive, answer them fast and cheap.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(PromptsCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());

        // The thin clients of a running server share its address and key.
        foreach (var client in new[]
        {
            ContextCommand.Create(), LearnedCommand.Create(), ScheduleCommand.Create(), SleepCommand.Create(), AskCommand.Create(),
            RunsCommand.Create(), UsageCommand.Create(), EventsCommand.Create(), AgentCommand.Create(),
        })
        {
            client.Options.Add(ApiCalls.Server);
            client.Options.Add(ApiCalls.Key);
            root.Subcommands.Add(client);
        }

        return root;
    }

    public static Task<int> RunAsync(string[] args) => CreateRoot().Parse(args).InvokeAsync();
}
