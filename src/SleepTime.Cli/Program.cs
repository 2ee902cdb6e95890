using System.CommandLine;
using SleepTime.Cli.Commands;

var root = new RootCommand("SleepTime: think about a context before the questions arrive, answer them fast and cheap.");

// One file per command under Commands/.
root.Subcommands.Add(PromptsCommand.Create());
root.Subcommands.Add(BenchCommand.Create());

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
