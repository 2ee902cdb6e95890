using System.CommandLine;
using System.Globalization;

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
                await ServerClient.Error(p).WriteLineAsync("--context lists one context's runs; --kind filters the tenant's runs: pass one of them.").ConfigureAwait(false);
                return ServerClient.HttpError;
            }

            var query = Query.Of(("kind", p.GetValue(kind)), ("status", p.GetValue(status)), ("limit", p.GetValue(limit)?.ToString(CultureInfo.InvariantCulture)));
            var path = p.GetValue(context) is { } c ? $"api/contexts/{Uri.EscapeDataString(c)}/runs{query}" : $"api/runs{query}";
            return await ServerClient.SendAsync(p, HttpMethod.Get, path, null, ct).ConfigureAwait(false);
        });

        command.Subcommands.Add(AgentCommand.WithId("get", "Show a run: status, trigger, usage, cost, error, timings.", "run", id => $"api/runs/{id}"));
        command.Subcommands.Add(AgentCommand.WithId("cancel", "Cancel a queued or running run.", "run", id => $"api/runs/{id}/cancel", HttpMethod.Post));
        return command;
    }
}
