using System.CommandLine;
using SleepTime.Server;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime agent blocks &lt;agent&gt; | blocks get | blocks create | blocks update | blocks attach | blocks detach</c>.</summary>
internal static class AgentBlockCommands
{
    public static Command Create()
    {
        var agent = new Argument<string>("agent") { Description = "The agent whose blocks to list." };
        var command = new Command("blocks", "List an agent's memory blocks, or work with blocks.") { agent };
        command.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => c.Agents.ListBlocksAsync(p.GetValue(agent)!, token), ct));
        command.Subcommands.Add(ApiCommands.WithId("get", "Show a block (value, version, limit).", "block", (c, id, ct) => c.Blocks.GetAsync(id, ct)));
        command.Subcommands.Add(CreateBlock());
        command.Subcommands.Add(Update());
        command.Subcommands.Add(Link("attach", "Attach (share) a block with an agent.", attach: true));
        command.Subcommands.Add(Link("detach", "Detach a block from an agent.", attach: false));
        return command;
    }

    private static Command CreateBlock()
    {
        var label = new Argument<string>("label") { Description = "Letters, digits, '_' or '-', starting with a letter." };
        var value = new Option<string?>("--value") { Description = "Initial value." };
        var limit = new Option<int?>("--limit") { Description = "Character limit (default 5000)." };
        var description = new Option<string?>("--description") { Description = "What the block is for." };
        var readOnly = new Option<bool>("--read-only") { Description = "Agents may not edit it." };
        var command = new Command("create", "Create a block.") { label, value, limit, description, readOnly };
        command.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => c.Blocks.CreateAsync(
            new CreateBlockRequest(p.GetValue(label), p.GetValue(value) ?? string.Empty, p.GetValue(limit), p.GetValue(description), p.GetValue(readOnly)), token), ct));
        return command;
    }

    private static Command Update()
    {
        var block = new Argument<string>("block") { Description = "The block id." };
        var value = new Argument<string>("value") { Description = "The new value (\\n for line breaks)." };
        var expected = new Option<long>("--expected-version") { Description = "The version you read; a newer block is refused (409).", Required = true };
        var command = new Command("update", "Replace a block's value, if it is still at the version you read.") { block, value, expected };
        command.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => c.Blocks.UpdateAsync(
            p.GetValue(block)!, p.GetValue(value)!.Replace("\\n", "\n", StringComparison.Ordinal), p.GetValue(expected), token), ct));
        return command;
    }

    private static Command Link(string name, string description, bool attach)
    {
        var agent = new Argument<string>("agent") { Description = "The agent id." };
        var block = new Argument<string>("block") { Description = "The block id." };
        var command = new Command(name, description) { agent, block };
        command.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => attach
            ? c.Agents.AttachBlockAsync(p.GetValue(agent)!, p.GetValue(block)!, token)
            : c.Agents.DetachBlockAsync(p.GetValue(agent)!, p.GetValue(block)!, token), ct));
        return command;
    }
}
