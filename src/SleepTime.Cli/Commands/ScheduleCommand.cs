using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using SleepTime.Server;

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
        get.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => c.Contexts.GetScheduleAsync(p.GetValue(getId)!, token), ct));
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

        command.SetAction((p, ct) => ApiCalls.RunAsync(p, async (client, token) =>
        {
            var error = ApiCalls.Error(p);
            var contextId = p.GetValue(id)!;
            var policy = p.GetValue(replace)
                ? new JsonObject()
                : JsonSerializer.SerializeToNode(await client.Contexts.GetScheduleAsync(contextId, token).ConfigureAwait(false), SleepTimeJson.Options) as JsonObject ?? new JsonObject();

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
                    return ApiCalls.Refused;
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

            if (!SchedulePolicies.TryRead(policy.ToJsonString(), out var changed, out var problem))
            {
                await error.WriteLineAsync($"The schedule is not valid: {problem}").ConfigureAwait(false);
                return ApiCalls.Refused;
            }

            await ApiCalls.Out(p).WriteLineAsync(ApiCalls.Show(await client.Contexts.SetScheduleAsync(contextId, changed, token).ConfigureAwait(false))).ConfigureAwait(false);
            return 0;
        }, ct));
        return command;
    }
}
