using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SleepTime.Client;
using SleepTime.Server;

namespace SleepTime.Cli.Commands;

/// <summary>
/// How the thin commands call the server through the typed client: <c>--server</c> (SLEEPTIME_URL) and <c>--key</c>
/// (SLEEPTIME_API_KEY). Success prints the answer, readable, to the command's output (exit 0); a refusal prints its
/// status and problem details to the error output (exit 1); a bad address or an unreachable server prints one line (exit 2).
/// </summary>
internal static class ApiCalls
{
    public const int Refused = 1;
    public const int NoServer = 2;

    public static readonly Option<string> Server = new("--server")
    {
        Description = "Server address, such as http://127.0.0.1:5000 (env SLEEPTIME_URL).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SLEEPTIME_URL") ?? "http://127.0.0.1:5000",
        Recursive = true,
    };

    // No DefaultValueFactory: help text prints defaults, and this one would print the secret.
    public static readonly Option<string?> Key = new("--key")
    {
        Description = "API key (default: env SLEEPTIME_API_KEY).",
        Recursive = true,
    };

    // The wire format, indented, with every field the server sent (nulls included) and no escaping beyond JSON's.
    private static readonly JsonSerializerOptions Display = new(SleepTimeJson.Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static TextWriter Out(ParseResult parseResult) => parseResult.InvocationConfiguration.Output;

    public static TextWriter Error(ParseResult parseResult) => parseResult.InvocationConfiguration.Error;

    /// <summary>A typed client of the server the command names, or false after saying why not.</summary>
    public static bool TryConnect(ParseResult parseResult, TimeSpan timeout, [NotNullWhen(true)] out SleepTimeClient? client)
    {
        client = null;
        if (ServerAddress.Parse(parseResult.GetValue(Server), out var problem) is not { } server)
        {
            Error(parseResult).WriteLine(problem);
            return false;
        }

        client = SleepTimeClient.Create(server, parseResult.GetValue(Key) ?? Environment.GetEnvironmentVariable("SLEEPTIME_API_KEY"), timeout);
        return true;
    }

    /// <summary>Calls the server and prints what it answered.</summary>
    public static Task<int> PrintAsync<T>(ParseResult parseResult, Func<SleepTimeClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        RunAsync(parseResult, async (client, ct) =>
        {
            var answer = await call(client, ct).ConfigureAwait(false);
            await Out(parseResult).WriteLineAsync(Show(answer)).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    /// <summary>Calls the server for an answer without a body (a delete).</summary>
    public static Task<int> SendAsync(ParseResult parseResult, Func<SleepTimeClient, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        RunAsync(parseResult, async (client, ct) =>
        {
            await call(client, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> with a client; a refusal or an unreachable server is printed here and becomes the exit code.</summary>
    public static async Task<int> RunAsync(ParseResult parseResult, Func<SleepTimeClient, CancellationToken, Task<int>> work, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        if (!TryConnect(parseResult, timeout ?? TimeSpan.FromMinutes(10), out var client))
        {
            return NoServer;
        }

        using (client)
        {
            try
            {
                return await work(client, cancellationToken).ConfigureAwait(false);
            }
            catch (SleepTimeApiException refused)
            {
                await WriteRefusalAsync(parseResult, refused).ConfigureAwait(false);
                return Refused;
            }
            catch (Exception ex) when (Unreachable(parseResult, client.Server, ex, cancellationToken))
            {
                return NoServer;
            }
        }
    }

    /// <summary>A value as the server's JSON, for people.</summary>
    public static string Show<T>(T value) => JsonSerializer.Serialize(value, Display);

    /// <summary>A refusal: the status line, the problem it came with, and for a refused key what to pass.</summary>
    private static async Task WriteRefusalAsync(ParseResult parseResult, SleepTimeApiException refused)
    {
        var error = Error(parseResult);
        await error.WriteLineAsync($"{(int)refused.Status} {refused.Title}").ConfigureAwait(false);
        if (refused.Body.Length > 0)
        {
            await error.WriteLineAsync(JsonOutput.Pretty(refused.Body)).ConfigureAwait(false);
        }

        if (refused.Status == System.Net.HttpStatusCode.Unauthorized)
        {
            await error.WriteLineAsync("The server did not accept the API key: pass --key or set SLEEPTIME_API_KEY (the first `sleeptime serve` prints an admin key).").ConfigureAwait(false);
        }
    }

    /// <summary>Says in one line why the server could not be used; false for what is not a connection failure.</summary>
    public static bool Unreachable(ParseResult parseResult, Uri server, Exception exception, CancellationToken cancellationToken)
    {
        var message = exception switch
        {
            HttpRequestException ex => $"Cannot reach the server at {server}: {ex.GetBaseException().Message.TrimEnd('.')}. Is `sleeptime serve` running there? Pass its address with --server or SLEEPTIME_URL.",
            TaskCanceledException when !cancellationToken.IsCancellationRequested => $"The server at {server} did not answer in time.",
            OperationCanceledException => "Cancelled.",
            IOException ex => $"The connection to the server at {server} broke off: {ex.Message}",
            _ => null,
        };
        if (message is null)
        {
            return false;
        }

        Error(parseResult).WriteLine(message);
        return true;
    }
}
