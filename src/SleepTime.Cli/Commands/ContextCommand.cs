using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime context create|get|list|append|delete</c> over the HTTP API.</summary>
internal static class ContextCommand
{
    public static Command Create()
    {
        var command = new Command("context", "Create, read, grow and delete contexts on a SleepTime server.");

        var id = new Option<string?>("--id") { Description = "Context id (generated when omitted)." };
        var text = new Argument<string>("text") { Description = "Document text, or '-' to read standard input." };
        var create = new Command("create", "Create a document context.") { id, text };
        create.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Post, "api/contexts", new { id = p.GetValue(id), text = Read(p.GetValue(text)!) }, ct));
        command.Subcommands.Add(create);

        var contextId = new Argument<string>("id") { Description = "Context id." };
        var get = new Command("get", "Show a context.") { contextId };
        get.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Get, $"api/contexts/{Uri.EscapeDataString(p.GetValue(contextId)!)}", null, ct));
        command.Subcommands.Add(get);

        var list = new Command("list", "List contexts.");
        list.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Get, "api/contexts", null, ct));
        command.Subcommands.Add(list);

        var appendId = new Argument<string>("id") { Description = "Context id." };
        var appendText = new Argument<string>("text") { Description = "Text to append, or '-' for standard input." };
        var append = new Command("append", "Append text to a document context.") { appendId, appendText };
        append.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Post, $"api/contexts/{Uri.EscapeDataString(p.GetValue(appendId)!)}/append", new { text = Read(p.GetValue(appendText)!) }, ct));
        command.Subcommands.Add(append);

        var deleteId = new Argument<string>("id") { Description = "Context id." };
        var delete = new Command("delete", "Delete a context and its learned contexts.") { deleteId };
        delete.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Delete, $"api/contexts/{Uri.EscapeDataString(p.GetValue(deleteId)!)}", null, ct));
        command.Subcommands.Add(delete);
        return command;
    }

    private static string Read(string text) => text == "-" ? Console.In.ReadToEnd() : text;
}
