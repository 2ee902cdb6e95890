using System.CommandLine;
using SleepTime.Cli.Commands;

var root = new RootCommand("SleepTime: think about a context before the questions arrive, answer them fast and cheap.");

// One file per command under Commands/.
root.Subcommands.Add(PromptsCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(ContextCommand.Create());
root.Subcommands.Add(SleepCommand.Create());
root.Subcommands.Add(AskCommand.Create());
root.Subcommands.Add(RunsCommand.Create());
root.Options.Add(ServerClient.Server);
root.Options.Add(ServerClient.Key);

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
