using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime agent changes &lt;agent&gt; | changes get &lt;id&gt;</c>, <c>approve</c>, <c>reject</c> and <c>revert</c>.</summary>
internal static class AgentReviewCommands
{
    public static Command Changes()
    {
        var agent = new Argument<string>("agent") { Description = "The primary agent." };
        var status = new Option<string?>("--status") { Description = "pending, committed, needs_review, rejected or reverted." };
        var command = new Command("changes", "List an agent's change sets (per-block diffs, status).") { agent, status };
        command.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => c.ChangeSets.ListAsync(p.GetValue(agent)!, p.GetValue(status), cancellationToken: token), ct));
        command.Subcommands.Add(ApiCommands.WithId("get", "Show a change set with its diffs and edits.", "change-set", (c, id, ct) => c.ChangeSets.GetAsync(id, ct)));
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

        command.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => overwrite is not null
            ? c.ChangeSets.ApproveAsync(p.GetValue(id)!, p.GetValue(block), p.GetValue(overwrite), token)
            : c.ChangeSets.RejectAsync(p.GetValue(id)!, p.GetValue(block), token), ct));
        return command;
    }

    /// <summary>A refused revert (blocks written since) prints the conflicts to the error output and exits 1.</summary>
    public static Command Revert()
    {
        var id = new Argument<string>("change-set") { Description = "The change-set id." };
        var command = new Command("revert", "Undo a committed change set (refused for blocks written since).") { id };
        command.SetAction((p, ct) => ApiCalls.RunAsync(p, async (c, token) =>
        {
            var result = await c.ChangeSets.RevertAsync(p.GetValue(id)!, token).ConfigureAwait(false);
            if (result.Reverted)
            {
                await ApiCalls.Out(p).WriteLineAsync(ApiCalls.Show(result)).ConfigureAwait(false);
                return 0;
            }

            await ApiCalls.Error(p).WriteLineAsync("409 Not reverted: blocks were written since").ConfigureAwait(false);
            await ApiCalls.Error(p).WriteLineAsync(ApiCalls.Show(result)).ConfigureAwait(false);
            return ApiCalls.Refused;
        }, ct));
        return command;
    }
}
