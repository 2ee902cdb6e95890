using System.CommandLine;
using System.Net.Http.Headers;

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
                await ServerClient.Error(p).WriteLineAsync("Pass --context or --agent, not both.").ConfigureAwait(false);
                return ServerClient.HttpError;
            }

            var path = p.GetValue(context) is { } contextId ? $"api/contexts/{Uri.EscapeDataString(contextId)}/events"
                : p.GetValue(agent) is { } agentId ? $"api/agents/{Uri.EscapeDataString(agentId)}/events"
                : "api/events";
            return await TailAsync(p, path, p.GetValue(lastEventId), ct).ConfigureAwait(false);
        });

        var command = new Command("events", "The server's events: run state changes and memory updates (Server-Sent Events).");
        command.Subcommands.Add(tail);
        return command;
    }

    private static string After(string? lastId) => lastId is null ? string.Empty : $" after event {lastId}";

    private static async Task<int> TailAsync(ParseResult p, string path, string? lastId, CancellationToken cancellationToken)
    {
        if (!ServerClient.TryCreate(p, Timeout.InfiniteTimeSpan, out var http))
        {
            return ServerClient.NoServer;
        }

        using (http)
        {
            var output = ServerClient.Out(p);
            var error = ServerClient.Error(p);
            var failures = 0;
            var connected = false;
            while (true)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, path);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                    if (lastId is not null)
                    {
                        request.Headers.Add("Last-Event-ID", lastId);
                    }

                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                        await ServerClient.WriteFailureAsync(p, response, text).ConfigureAwait(false);
                        return ServerClient.HttpError;
                    }

                    await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    await foreach (var item in ServerSentEventReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
                    {
                        failures = 0;
                        connected = true;
                        lastId = item.Id ?? lastId;
                        if (item.Type == "ready")
                        {
                            await error.WriteLineAsync($"Following {http.BaseAddress}{path} (Ctrl-C ends).").ConfigureAwait(false);
                            continue;
                        }

                        object data = JsonOutput.TryParse(item.Data, out var element) ? element : item.Data;
                        await output.WriteLineAsync(JsonOutput.Line(new Dictionary<string, object?> { ["event"] = item.Type, ["id"] = item.Id, ["data"] = data })).ConfigureAwait(false);
                        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }

                    if (++failures > MaxReconnects)
                    {
                        await error.WriteLineAsync("The server keeps ending the stream; giving up.").ConfigureAwait(false);
                        return ServerClient.NoServer;
                    }

                    await error.WriteLineAsync($"The server ended the stream; reconnecting{After(lastId)}.").ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return 0;
                }
                catch (Exception ex) when (connected && ex is (HttpRequestException or IOException) && ++failures <= MaxReconnects)
                {
                    await error.WriteLineAsync($"The stream broke off ({ex.GetBaseException().Message}); reconnecting{After(lastId)}.").ConfigureAwait(false);
                }
                catch (Exception ex) when (ServerClient.Unreachable(p, http.BaseAddress!, ex, cancellationToken))
                {
                    return ServerClient.NoServer;
                }

                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, failures + 1)), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return 0;
                }
            }
        }
    }
}
