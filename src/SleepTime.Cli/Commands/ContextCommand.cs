using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime context create|get|list|append|replace|delete</c> over the HTTP API (documents and conversations).</summary>
internal static class ContextCommand
{
    public static Command Create()
    {
        var command = new Command("context", "Create, read, grow and delete contexts (documents and conversations) on a SleepTime server.");
        command.Subcommands.Add(CreateContext());
        command.Subcommands.Add(AgentCommand.WithId("get", "Show a context with its entries.", "context", id => $"api/contexts/{id}"));

        var limit = new Option<int?>("--limit") { Description = "Most contexts per page (1-1000, default 50)." };
        var cursor = new Option<string?>("--cursor") { Description = "The next_cursor of the previous page." };
        var list = new Command("list", "List contexts.") { limit, cursor };
        list.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Get, "api/contexts" + Query.Of(("limit", p.GetValue(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("cursor", p.GetValue(cursor))), null, ct));
        command.Subcommands.Add(list);

        command.Subcommands.Add(Write("append", "Append text (documents) or turns (conversations) to a context.", HttpMethod.Post, id => $"api/contexts/{id}/append"));
        command.Subcommands.Add(Write("replace", "Start a context over with new text or turns.", HttpMethod.Put, id => $"api/contexts/{id}"));
        command.Subcommands.Add(AgentCommand.WithId("delete", "Delete a context and its learned contexts.", "context", id => $"api/contexts/{id}", HttpMethod.Delete));
        return command;
    }

    private static Command CreateContext()
    {
        var id = new Option<string?>("--id") { Description = "Context id (generated when omitted)." };
        var kind = new Option<string?>("--kind") { Description = "document or conversation (default: conversation when turns are given)." };
        var schedule = new Option<string?>("--schedule") { Description = "Its schedule policy as JSON, such as '{\"every_turns\":3}' (see `sleeptime schedule`)." };
        var content = new ContextContent();
        var create = new Command("create", "Create a document context (text) or a conversation context (--turn role=text ...).") { id, kind, schedule };
        content.AddTo(create);
        create.SetAction(async (p, ct) =>
        {
            if (content.Read(p) is not { } body)
            {
                return ServerClient.HttpError;
            }

            object? policy = null;
            if (p.GetValue(schedule) is { } json)
            {
                if (!JsonOutput.TryParse(json, out var element) || element.ValueKind != System.Text.Json.JsonValueKind.Object)
                {
                    await ServerClient.Error(p).WriteLineAsync("--schedule must be a JSON object, such as '{\"every_turns\":3}'.").ConfigureAwait(false);
                    return ServerClient.HttpError;
                }

                policy = element;
            }

            return await ServerClient.SendAsync(p, HttpMethod.Post, "api/contexts", new { id = p.GetValue(id), kind = p.GetValue(kind), text = body.Text, content = body.Content, schedule = policy }, ct).ConfigureAwait(false);
        });
        return create;
    }

    private static Command Write(string name, string description, HttpMethod method, Func<string, string> path)
    {
        var id = new Argument<string>("id") { Description = "Context id." };
        var content = new ContextContent();
        var command = new Command(name, description) { id };
        content.AddTo(command);
        command.SetAction(async (p, ct) => content.Read(p) is { } body
            ? await ServerClient.SendAsync(p, method, path(Uri.EscapeDataString(p.GetValue(id)!)), new { text = body.Text, content = body.Content }, ct).ConfigureAwait(false)
            : ServerClient.HttpError);
        return command;
    }
}
