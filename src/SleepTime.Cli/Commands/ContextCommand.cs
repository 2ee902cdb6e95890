using System.CommandLine;
using System.Text.Json;
using SleepTime.Server;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime context create|get|list|append|replace|delete</c> over the HTTP API (documents and conversations).</summary>
internal static class ContextCommand
{
    public static Command Create()
    {
        var command = new Command("context", "Create, read, grow and delete contexts (documents and conversations) on a SleepTime server.");
        command.Subcommands.Add(CreateContext());
        command.Subcommands.Add(ApiCommands.WithId("get", "Show a context with its entries.", "context", (c, id, ct) => c.Contexts.GetAsync(id, cancellationToken: ct)));

        var limit = new Option<int?>("--limit") { Description = "Most contexts per page (1-1000, default 50)." };
        var cursor = new Option<string?>("--cursor") { Description = "The next_cursor of the previous page." };
        var list = new Command("list", "List contexts.") { limit, cursor };
        list.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => c.Contexts.ListAsync(p.GetValue(limit), p.GetValue(cursor), token), ct));
        command.Subcommands.Add(list);

        command.Subcommands.Add(Write("append", "Append text (documents) or turns (conversations) to a context.", replace: false));
        command.Subcommands.Add(Write("replace", "Start a context over with new text or turns.", replace: true));
        command.Subcommands.Add(ApiCommands.WithIdNoAnswer("delete", "Delete a context and its learned contexts.", "context", (c, id, ct) => c.Contexts.DeleteAsync(id, ct)));
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
                return ApiCalls.Refused;
            }

            SchedulePolicy? policy = null;
            if (p.GetValue(schedule) is { } json && !SchedulePolicies.TryRead(json, out policy, out var problem))
            {
                await ApiCalls.Error(p).WriteLineAsync($"--schedule must be a JSON object of schedule fields, such as '{{\"every_turns\":3}}': {problem}").ConfigureAwait(false);
                return ApiCalls.Refused;
            }

            var request = new CreateContextRequest(p.GetValue(id), p.GetValue(kind), body.Text, body.Content, policy);
            return await ApiCalls.PrintAsync(p, (c, token) => c.Contexts.CreateAsync(request, token), ct).ConfigureAwait(false);
        });
        return create;
    }

    private static Command Write(string name, string description, bool replace)
    {
        var id = new Argument<string>("id") { Description = "Context id." };
        var content = new ContextContent();
        var command = new Command(name, description) { id };
        content.AddTo(command);
        command.SetAction(async (p, ct) =>
        {
            if (content.Read(p) is not { } body)
            {
                return ApiCalls.Refused;
            }

            var request = new WriteContextRequest(body.Text, body.Content);
            return await ApiCalls.PrintAsync(p, (c, token) => replace
                ? c.Contexts.ReplaceAsync(p.GetValue(id)!, request, token)
                : c.Contexts.AppendAsync(p.GetValue(id)!, request, token), ct).ConfigureAwait(false);
        });
        return command;
    }
}

/// <summary>A schedule policy from what people type: a JSON object with the API's field names.</summary>
internal static class SchedulePolicies
{
    public static bool TryRead(string json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SchedulePolicy? policy, out string? problem)
    {
        policy = null;
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "not an object";
                return false;
            }

            policy = document.RootElement.Deserialize<SchedulePolicy>(SleepTimeJson.Options);
            return policy is not null;
        }
        catch (JsonException ex)
        {
            problem = ex.Message;
            return false;
        }
    }
}
