using System.CommandLine;
using System.Globalization;
using SleepTime.Client;
using SleepTime.Client.Events;

namespace SleepTime.Cli.Commands;

/// <summary>
/// <c>sleeptime events tail [--context id | --agent id]</c>: follows the server's event stream and prints each event as
/// one JSON line (<c>{"event","id","data"}</c>) until Ctrl-C. A stream that breaks off is resumed from the last event id.
/// </summary>
internal static class EventsCommand
{
    private const int MaxReconnects = 3;

    public static Command Create()
    {
        var context = new Option<string?>("--context") { Description = "Only this context's events." };
        var agent = new Option<string?>("--agent") { Description = "This agent's events (runs of its sleep-time agents, change sets, block updates)." };
        var lastEventId = new Option<string?>("--last-event-id") { Description = "Resume after this event id." };
        var tail = new Command("tail", "Print each event as one JSON line as it happens; Ctrl-C ends.") { context, agent, lastEventId };
        tail.SetAction(async (p, ct) =>
        {
            if (p.GetValue(context) is not null && p.GetValue(agent) is not null)
            {
                await ApiCalls.Error(p).WriteLineAsync("Pass --context or --agent, not both.").ConfigureAwait(false);
                return ApiCalls.Refused;
            }

            long? after = null;
            if (p.GetValue(lastEventId) is { } text)
            {
                if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    await ApiCalls.Error(p).WriteLineAsync("--last-event-id must be the id of an event the server sent: a non-negative integer.").ConfigureAwait(false);
                    return ApiCalls.Refused;
                }

                after = id;
            }

            return await ApiCalls.RunAsync(p, (client, token) => TailAsync(p, client, p.GetValue(context), p.GetValue(agent), after, token), ct, Timeout.InfiniteTimeSpan).ConfigureAwait(false);
        });

        var command = new Command("events", "The server's events: run state changes and memory updates (Server-Sent Events).");
        command.Subcommands.Add(tail);
        return command;
    }

    private static string After(long? lastId) => lastId is null ? string.Empty : $" after event {lastId.Value.ToString(CultureInfo.InvariantCulture)}";

    private static async Task<int> TailAsync(ParseResult p, SleepTimeClient client, string? contextId, string? agentId, long? after, CancellationToken cancellationToken)
    {
        var output = ApiCalls.Out(p);
        var error = ApiCalls.Error(p);
        var path = contextId is not null ? $"api/contexts/{contextId}/events" : agentId is not null ? $"api/agents/{agentId}/events" : "api/events";
        var options = new EventStreamOptions
        {
            MaxReconnects = MaxReconnects,
            Connected = () => error.WriteLine($"Following {client.Server}{path} (Ctrl-C ends)."),
            Reconnecting = (broke, lastId) => error.WriteLine(broke is null
                ? $"The server ended the stream; reconnecting{After(lastId)}."
                : $"The stream broke off ({broke.GetBaseException().Message}); reconnecting{After(lastId)}."),
        };
        var events = contextId is not null ? client.Events.ContextAsync(contextId, after, options, cancellationToken)
            : agentId is not null ? client.Events.AgentAsync(agentId, after, options, cancellationToken)
            : client.Events.TenantAsync(after, options, cancellationToken);
        try
        {
            await foreach (var item in events.ConfigureAwait(false))
            {
                var line = new Dictionary<string, object?>
                {
                    ["event"] = item.Type,
                    ["id"] = item.Id?.ToString(CultureInfo.InvariantCulture),
                    ["data"] = item.Envelope,
                };
                await output.WriteLineAsync(JsonOutput.Line(line)).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (EventStreamEndedException)
        {
            await error.WriteLineAsync("The server keeps ending the stream; giving up.").ConfigureAwait(false);
            return ApiCalls.NoServer;
        }

        return 0;
    }
}
