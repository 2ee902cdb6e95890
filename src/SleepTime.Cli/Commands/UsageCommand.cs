using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime usage [--context id]</c>: tokens, queries, runs and amortized cost per query.</summary>
internal static class UsageCommand
{
    public static Command Create()
    {
        var context = new Option<string?>("--context") { Description = "One context instead of the whole tenant." };
        var command = new Command("usage", "Sleep and test tokens, queries, sleep runs, amortized cost per query and estimated savings (the tenant, or --context).") { context };
        command.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => p.GetValue(context) is { } id ? c.Usage.ContextAsync(id, token) : c.Usage.TenantAsync(token), ct));
        return command;
    }
}
