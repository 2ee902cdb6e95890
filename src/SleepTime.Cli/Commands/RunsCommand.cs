using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime runs [--context id] [--kind] [--status] [--limit] | runs get &lt;run&gt; | runs cancel &lt;run&gt;</c>.</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var context = new Option<string?>("--context") { Description = "Only this context's runs." };
        var kind = new Option<string?>("--kind") { Description = "context or agent (all runs of the tenant; not with --context)." };
        kind.AcceptOnlyFromAmong("context", "agent");
        var status = new Option<string?>("--status") { Description = "queued, running, succeeded, failed, cancelled or skipped." };
        var limit = new Option<int?>("--limit") { Description = "Most runs, newest first (1-1000, default 50)." };
        var command = new Command("runs", "List sleep runs (both kinds, newest first), show one, or cancel one.") { context, kind, status, limit };
        command.SetAction(async (p, ct) =>
        {
            if (p.GetValue(context) is not null && p.GetValue(kind) is not null)
            {
                await ApiCalls.Error(p).WriteLineAsync("--context lists one context's runs; --kind filters the tenant's runs: pass one of them.").ConfigureAwait(false);
                return ApiCalls.Refused;
            }

            return await ApiCalls.PrintAsync(p, (c, token) => p.GetValue(context) is { } contextId
                ? c.Runs.ListForContextAsync(contextId, p.GetValue(status), p.GetValue(limit), token)
                : c.Runs.ListAsync(p.GetValue(kind), p.GetValue(status), p.GetValue(limit), token), ct).ConfigureAwait(false);
        });

        command.Subcommands.Add(ApiCommands.WithId("get", "Show a run: status, trigger, usage, cost, error, timings.", "run", (c, id, ct) => c.Runs.GetAsync(id, ct)));
        command.Subcommands.Add(ApiCommands.WithId("cancel", "Cancel a queued or running run.", "run", (c, id, ct) => c.Runs.CancelAsync(id, ct)));
        return command;
    }
}
