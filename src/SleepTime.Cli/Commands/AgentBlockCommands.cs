using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime agent blocks &lt;agent&gt; | blocks get | blocks create | blocks update | blocks attach | blocks detach</c>.</summary>
internal static class AgentBlockCommands
{
    public static Command Create()
    {
        var agent = new Argument<string>("agent") { Description = "The agent whose blocks to list." };
        var command = new Command("blocks", "List an agent's memory blocks, or work with blocks.") { agent };
        command.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Get, $"api/agents/{Uri.EscapeDataString(p.GetValue(agent)!)}/blocks", null, ct));
        command.Subcommands.Add(AgentCommand.WithId("get", "Show a block (value, version, limit).", "block", id => $"api/blocks/{id}"));
        command.Subcommands.Add(CreateBlock());
        command.Subcommands.Add(Update());
        command.Subcommands.Add(Link("attach", "Attach (share) a block with an agent.", HttpMethod.Put));
        command.Subcommands.Add(Link("detach", "Detach a block from an agent.", HttpMethod.Delete));
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
        command.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Post, "api/blocks", new
        {
            label = p.GetValue(label),
            value = p.GetValue(value) ?? string.Empty,
            limit = p.GetValue(limit),
            description = p.GetValue(description),
            read_only = p.GetValue(readOnly),
        }, ct));
        return command;
    }

    private static Command Update()
    {
        var block = new Argument<string>("block") { Description = "The block id." };
        var value = new Argument<string>("value") { Description = "The new value (\\n for line breaks)." };
        var expected = new Option<long>("--expected-version") { Description = "The version you read; a newer block is refused (409).", Required = true };
        var command = new Command("update", "Replace a block's value, if it is still at the version you read.") { block, value, expected };
        command.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Put, $"api/blocks/{Uri.EscapeDataString(p.GetValue(block)!)}", new
        {
            value = p.GetValue(value)!.Replace("\\n", "\n", StringComparison.Ordinal),
            expected_version = p.GetValue(expected),
        }, ct));
        return command;
    }

    private static Command Link(string name, string description, HttpMethod method)
    {
        var agent = new Argument<string>("agent") { Description = "The agent id." };
        var block = new Argument<string>("block") { Description = "The block id." };
        var command = new Command(name, description) { agent, block };
        command.SetAction((p, ct) => ServerClient.SendAsync(p, method, $"api/agents/{Uri.EscapeDataString(p.GetValue(agent)!)}/blocks/{Uri.EscapeDataString(p.GetValue(block)!)}", null, ct));
        return command;
    }
}
