using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime runs [--context id] | runs get &lt;run&gt; | runs cancel &lt;run&gt;</c>.</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var context = new Option<string?>("--context") { Description = "Only this context's runs." };
        var status = new Option<string?>("--status") { Description = "queued, running, succeeded, failed, cancelled or skipped." };
        var command = new Command("runs", "List sleep runs, show one, or cancel one.") { context, status };
        command.SetAction((p, ct) =>
        {
            var query = p.GetValue(status) is { } s ? $"?status={Uri.EscapeDataString(s)}" : string.Empty;
            var path = p.GetValue(context) is { } c ? $"api/contexts/{Uri.EscapeDataString(c)}/runs{query}" : $"api/runs{query}";
            return ServerClient.SendAsync(p, HttpMethod.Get, path, null, ct);
        });

        var runId = new Argument<string>("run") { Description = "Run id." };
        var get = new Command("get", "Show a run: status, trigger, usage, cost, error, timings.") { runId };
        get.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Get, $"api/runs/{Uri.EscapeDataString(p.GetValue(runId)!)}", null, ct));
        command.Subcommands.Add(get);

        var cancelId = new Argument<string>("run") { Description = "Run id." };
        var cancel = new Command("cancel", "Cancel a queued or running run.") { cancelId };
        cancel.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Post, $"api/runs/{Uri.EscapeDataString(p.GetValue(cancelId)!)}/cancel", null, ct));
        command.Subcommands.Add(cancel);
        return command;
    }
}
