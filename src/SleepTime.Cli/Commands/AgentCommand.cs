using System.CommandLine;
using SleepTime.Server;

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
        command.Subcommands.Add(ApiCommands.Simple("list", "List agents.", (c, ct) => c.Agents.ListAsync(cancellationToken: ct)));
        command.Subcommands.Add(ApiCommands.WithId("get", "Show an agent with its blocks and sleep-time agents.", "agent", (c, id, ct) => c.Agents.GetAsync(id, ct)));
        command.Subcommands.Add(ApiCommands.WithIdNoAnswer("delete", "Delete an agent (its blocks stay).", "agent", (c, id, ct) => c.Agents.DeleteAsync(id, ct)));
        command.Subcommands.Add(Send());
        command.Subcommands.Add(ApiCommands.WithId("messages", "Show the agent's recent messages.", "agent", (c, id, ct) => c.Agents.ListMessagesAsync(id, cancellationToken: ct)));
        command.Subcommands.Add(AgentBlockCommands.Create());
        command.Subcommands.Add(AgentSleeperCommands.CreateSleeper());
        command.Subcommands.Add(AgentSleeperCommands.Runs());
        command.Subcommands.Add(ApiCommands.WithId("trigger", "Run a sleep-time agent now (queued; returns the run).", "sleeper", (c, id, ct) => c.Runs.TriggerSleepTimeAgentAsync(id, ct)));
        command.Subcommands.Add(AgentReviewCommands.Changes());
        command.Subcommands.Add(AgentReviewCommands.Decide("approve", "Approve what waits for review in a change set."));
        command.Subcommands.Add(AgentReviewCommands.Decide("reject", "Reject what waits for review in a change set."));
        command.Subcommands.Add(AgentReviewCommands.Revert());
        command.Subcommands.Add(Document());
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
            var newBlocks = new List<CreateBlockRequest>();
            foreach (var spec in p.GetValue(blocks) ?? [])
            {
                var at = spec.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0)
                {
                    await ApiCalls.Error(p).WriteLineAsync($"--block '{spec}' is not label=value.").ConfigureAwait(false);
                    return ApiCalls.Refused;
                }

                newBlocks.Add(new CreateBlockRequest(spec[..at], spec[(at + 1)..].Replace("\\n", "\n", StringComparison.Ordinal), null, null, null));
            }

            var request = new CreateAgentRequest(p.GetValue(name), p.GetValue(instructions), p.GetValue(blockIds) ?? [], newBlocks);
            return await ApiCalls.PrintAsync(p, (c, token) => c.Agents.CreateAsync(request, token), ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Send()
    {
        var id = new Argument<string>("agent") { Description = "The agent id." };
        var message = new Argument<string>("message") { Description = "What to say." };
        var command = new Command("send", "Send a message to an agent and print its turn.") { id, message };
        command.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => c.Agents.SendMessageAsync(p.GetValue(id)!, p.GetValue(message)!, token), ct));
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
                await ApiCalls.Error(p).WriteLineAsync($"No such file: {path.FullName}").ConfigureAwait(false);
                return ApiCalls.Refused;
            }

            var text = await File.ReadAllTextAsync(path.FullName, ct).ConfigureAwait(false);
            return await ApiCalls.PrintAsync(p, (c, token) => c.Agents.AttachDocumentAsync(p.GetValue(id)!, p.GetValue(title) ?? path.Name, text, token), ct).ConfigureAwait(false);
        });
        return command;
    }
}
