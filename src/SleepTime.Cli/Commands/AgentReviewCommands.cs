using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime agent changes &lt;agent&gt; | changes get &lt;id&gt;</c>, <c>approve</c> and <c>reject</c>.</summary>
internal static class AgentReviewCommands
{
    public static Command Changes()
    {
        var agent = new Argument<string>("agent") { Description = "The primary agent." };
        var status = new Option<string?>("--status") { Description = "pending, committed, needs_review, rejected or reverted." };
        var command = new Command("changes", "List an agent's change sets (per-block diffs, status).") { agent, status };
        command.SetAction((p, ct) =>
        {
            var query = p.GetValue(status) is { } s ? $"?status={Uri.EscapeDataString(s)}" : string.Empty;
            return ServerClient.SendAsync(p, HttpMethod.Get, $"api/agents/{Uri.EscapeDataString(p.GetValue(agent)!)}/changes{query}", null, ct);
        });
        command.Subcommands.Add(AgentCommand.WithId("get", "Show a change set with its diffs and edits.", "change-set", id => $"api/changes/{id}"));
        return command;
    }

    public static Command Decide(string verb, string description)
    {
        var id = new Argument<string>("change-set") { Description = "The change set id." };
        var block = new Option<string?>("--block") { Description = "Only this block's change." };
        var command = new Command(verb, description) { id, block };
        Option<bool>? overwrite = null;
        if (verb == "approve")
        {
            overwrite = new Option<bool>("--overwrite-conflicts") { Description = "Write the proposed value over a newer block." };
            command.Options.Add(overwrite);
        }

        command.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Post, $"api/changes/{Uri.EscapeDataString(p.GetValue(id)!)}/{verb}", new
        {
            block_id = p.GetValue(block),
            overwrite_conflicts = overwrite is not null && p.GetValue(overwrite),
        }, ct));
        return command;
    }
}
