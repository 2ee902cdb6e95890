using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SleepTime.Cli.Commands;

/// <summary>
/// <c>sleeptime schedule get|set</c>: a context's schedule policy (docs/SERVER.md, "Schedule policy"). The server
/// replaces the whole policy on a write, so <c>set</c> reads the current one and changes only the fields given
/// (<c>--replace</c> starts from the built-in defaults instead).
/// </summary>
internal static class ScheduleCommand
{
    public static Command Create()
    {
        var command = new Command("schedule", "Show or change when a context sleeps: on change, every N turns, idle, cron, daily token cap, sleep options.");
        var getId = new Argument<string>("context") { Description = "The context id." };
        var get = new Command("get", "Show a context's schedule policy.") { getId };
        get.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Get, Path(p.GetValue(getId)!), null, ct));
        command.Subcommands.Add(get);
        command.Subcommands.Add(Set());
        return command;
    }

    private static Command Set()
    {
        var id = new Argument<string>("context") { Description = "The context id." };
        var json = new Option<string?>("--json") { Description = "Fields as a JSON object, such as '{\"every_turns\":3,\"idle_seconds\":600}'; options below override it." };
        var replace = new Option<bool>("--replace") { Description = "Start from the built-in defaults instead of the current policy." };
        var unset = new Option<string[]>("--unset") { Description = "Clear an optional field (cron, daily_token_cap, reasoning_effort, max_output_tokens); repeat for several." };
        var command = new Command("set", "Change a context's schedule policy: only the fields given change.") { id, json, replace, unset };
        var fields = ScheduleFields.Create();
        foreach (var field in fields)
        {
            command.Options.Add(field.Option);
        }

        command.SetAction(async (p, ct) =>
        {
            var error = ServerClient.Error(p);
            var path = Path(p.GetValue(id)!);
            var policy = new JsonObject();
            if (!p.GetValue(replace))
            {
                var (exit, current) = await ServerClient.FetchAsync(p, HttpMethod.Get, path, null, ct).ConfigureAwait(false);
                if (exit != 0)
                {
                    return exit;
                }

                policy = JsonNode.Parse(current!) as JsonObject ?? new JsonObject();
            }

            if (p.GetValue(json) is { } given)
            {
                JsonObject? changes;
                try
                {
                    changes = JsonNode.Parse(given) as JsonObject;
                }
                catch (JsonException)
                {
                    changes = null;
                }

                if (changes is null)
                {
                    await error.WriteLineAsync("--json must be a JSON object, such as '{\"every_turns\":3}'.").ConfigureAwait(false);
                    return ServerClient.HttpError;
                }

                foreach (var (name, value) in changes.ToList())
                {
                    policy[name] = value?.DeepClone();
                }
            }

            foreach (var field in fields)
            {
                if (field.Value(p) is { } value)
                {
                    policy[field.Name] = value;
                }
            }

            foreach (var name in p.GetValue(unset) ?? [])
            {
                policy[name] = null;
            }

            return await ServerClient.SendJsonAsync(p, HttpMethod.Put, path, policy.ToJsonString(), ct).ConfigureAwait(false);
        });
        return command;
    }

    private static string Path(string id) => $"api/contexts/{Uri.EscapeDataString(id)}/schedule";
}
