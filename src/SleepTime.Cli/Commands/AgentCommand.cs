using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary>
/// <c>sleeptime agent …</c>: thin client of the agents API (/api/agents, /api/blocks, /api/sleeptime-*, /api/changes).
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var command = new Command("agent", "Stateful agents whose memory blocks are rewritten in the background by sleep-time agents.");
        command.Subcommands.Add(CreateAgent());
        command.Subcommands.Add(Simple("list", "List agents.", _ => "api/agents"));
        command.Subcommands.Add(WithId("get", "Show an agent with its blocks and sleep-time agents.", "agent", id => $"api/agents/{id}"));
        command.Subcommands.Add(WithId("delete", "Delete an agent (its blocks stay).", "agent", id => $"api/agents/{id}", HttpMethod.Delete));
        command.Subcommands.Add(Send());
        command.Subcommands.Add(WithId("messages", "Show the agent's recent messages.", "agent", id => $"api/agents/{id}/messages"));
        command.Subcommands.Add(AgentBlockCommands.Create());
        command.Subcommands.Add(AgentSleeperCommands.CreateSleeper());
        command.Subcommands.Add(AgentSleeperCommands.Runs());
        command.Subcommands.Add(WithId("trigger", "Run a sleep-time agent now (queued; returns the run).", "sleeper", id => $"api/sleeptime-agents/{id}/runs", HttpMethod.Post));
        command.Subcommands.Add(AgentReviewCommands.Changes());
        command.Subcommands.Add(AgentReviewCommands.Decide("approve", "Approve what waits for review in a change set."));
        command.Subcommands.Add(AgentReviewCommands.Decide("reject", "Reject what waits for review in a change set."));
        command.Subcommands.Add(WithId("revert", "Undo a committed change set (refused for blocks written since).", "change-set", id => $"api/changes/{id}/revert", HttpMethod.Post));
        command.Subcommands.Add(Document());
        return command;
    }

    internal static Command Simple(string name, string description, Func<ParseResult, string> path)
    {
        var command = new Command(name, description);
        command.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Get, path(p), null, ct));
        return command;
    }

    internal static Command WithId(string name, string description, string argument, Func<string, string> path, HttpMethod? method = null)
    {
        var id = new Argument<string>(argument) { Description = $"The {argument} id." };
        var command = new Command(name, description) { id };
        command.SetAction((p, ct) =>
        {
            var verb = method ?? HttpMethod.Get;
            return ServerClient.SendAsync(p, verb, path(Uri.EscapeDataString(p.GetValue(id)!)), verb == HttpMethod.Post ? new { } : null, ct);
        });
        return command;
    }

    private static Command CreateAgent()
    {
        var name = new Argument<string>("name") { Description = "The agent's name." };
        var instructions = new Option<string?>("--instructions") { Description = "Its standing instructions (system prompt)." };
        var blocks = new Option<string[]>("--block") { Description = "A new block as label=value; repeat for several.", AllowMultipleArgumentsPerToken = false };
        var blockIds = new Option<string[]>("--block-id") { Description = "An existing block to attach (shared); repeat for several." };
        var command = new Command("create", "Create a primary agent.") { name, instructions, blocks, blockIds };
        command.SetAction(async (p, ct) =>
        {
            var newBlocks = new List<object>();
            foreach (var spec in p.GetValue(blocks) ?? [])
            {
                var at = spec.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0)
                {
                    await Console.Error.WriteLineAsync($"--block '{spec}' is not label=value.").ConfigureAwait(false);
                    return 1;
                }

                newBlocks.Add(new { label = spec[..at], value = spec[(at + 1)..].Replace("\\n", "\n", StringComparison.Ordinal) });
            }

            return await ServerClient.SendAsync(p, HttpMethod.Post, "api/agents", new
            {
                name = p.GetValue(name),
                instructions = p.GetValue(instructions),
                block_ids = p.GetValue(blockIds) ?? [],
                blocks = newBlocks,
            }, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Send()
    {
        var id = new Argument<string>("agent") { Description = "The agent id." };
        var message = new Argument<string>("message") { Description = "What to say." };
        var command = new Command("send", "Send a message to an agent and print its turn.") { id, message };
        command.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Post, $"api/agents/{Uri.EscapeDataString(p.GetValue(id)!)}/messages", new { message = p.GetValue(message) }, ct));
        return command;
    }

    private static Command Document()
    {
        var id = new Argument<string>("agent") { Description = "The agent id." };
        var file = new Argument<FileInfo>("file") { Description = "A text file to attach." };
        var title = new Option<string?>("--title") { Description = "Default: the file name." };
        var command = new Command("document", "Attach a document; sleep-time agents read it in the background.") { id, file, title };
        command.SetAction(async (p, ct) =>
        {
            var path = p.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"No such file: {path.FullName}").ConfigureAwait(false);
                return 1;
            }

            var text = await File.ReadAllTextAsync(path.FullName, ct).ConfigureAwait(false);
            return await ServerClient.SendAsync(p, HttpMethod.Post, $"api/agents/{Uri.EscapeDataString(p.GetValue(id)!)}/documents", new { title = p.GetValue(title) ?? path.Name, text }, ct).ConfigureAwait(false);
        });
        return command;
    }
}
