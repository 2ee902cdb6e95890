using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SleepTime.Cli.Commands;

/// <summary>
/// The HTTP client the thin commands share: <c>--server</c> (SLEEPTIME_URL) and <c>--key</c> (SLEEPTIME_API_KEY).
/// Success prints the response, readable, to the command's output (exit 0); an HTTP error prints its status and body to
/// the error output (exit 1); a bad address or an unreachable server prints one line (exit 2).
/// </summary>
internal static class ServerClient
{
    public const int HttpError = 1;
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

    private static readonly JsonSerializerOptions Wire = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static TextWriter Out(ParseResult parseResult) => parseResult.InvocationConfiguration.Output;

    public static TextWriter Error(ParseResult parseResult) => parseResult.InvocationConfiguration.Error;

    /// <summary>An HTTP client for the server the command names, or null after saying why not.</summary>
    public static bool TryCreate(ParseResult parseResult, TimeSpan timeout, [NotNullWhen(true)] out HttpClient? http)
    {
        http = null;
        if (ServerAddress.Parse(parseResult.GetValue(Server), out var problem) is not { } baseAddress)
        {
            Error(parseResult).WriteLine(problem);
            return false;
        }

        http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
        if ((parseResult.GetValue(Key) ?? Environment.GetEnvironmentVariable("SLEEPTIME_API_KEY")) is { Length: > 0 } key)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return true;
    }

    /// <summary>Sends <paramref name="body"/> (snake_case JSON, nulls left out) and prints the answer.</summary>
    public static Task<int> SendAsync(ParseResult parseResult, HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        SendJsonAsync(parseResult, method, path, body is null ? null : JsonSerializer.Serialize(body, Wire), cancellationToken);

    /// <summary>Sends a JSON body as given and prints the answer.</summary>
    public static async Task<int> SendJsonAsync(ParseResult parseResult, HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        var (exit, text) = await FetchAsync(parseResult, method, path, json, cancellationToken).ConfigureAwait(false);
        if (exit == 0)
        {
            await Out(parseResult).WriteLineAsync(JsonOutput.Pretty(text!)).ConfigureAwait(false);
        }

        return exit;
    }

    /// <summary>
    /// Sends a request and returns the body of a successful answer without printing it; a failure is printed here and
    /// returned as its exit code.
    /// </summary>
    public static async Task<(int Exit, string? Body)> FetchAsync(ParseResult parseResult, HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        if (!TryCreate(parseResult, TimeSpan.FromMinutes(10), out var http))
        {
            return (NoServer, null);
        }

        using (http)
        {
            using var request = new HttpRequestMessage(method, path.TrimStart('/'));
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            try
            {
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return (0, text);
                }

                await WriteFailureAsync(parseResult, response, text).ConfigureAwait(false);
                return (HttpError, null);
            }
            catch (Exception ex) when (Unreachable(parseResult, http.BaseAddress!, ex, cancellationToken))
            {
                return (NoServer, null);
            }
        }
    }

    /// <summary>An error status: the status line, the problem it came with, and for a refused key what to pass.</summary>
    public static async Task WriteFailureAsync(ParseResult parseResult, HttpResponseMessage response, string text)
    {
        var error = Error(parseResult);
        await error.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}").ConfigureAwait(false);
        if (text.Length > 0)
        {
            await error.WriteLineAsync(JsonOutput.Pretty(text)).ConfigureAwait(false);
        }

        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
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
