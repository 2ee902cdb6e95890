using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SleepTime.Cli.Commands;

/// <summary>The HTTP client the thin commands share: <c>--server</c> (SLEEPTIME_URL) and <c>--key</c> (SLEEPTIME_API_KEY).</summary>
internal static class ServerClient
{
    public static readonly Option<string> Server = new("--server")
    {
        Description = "Server address (env SLEEPTIME_URL).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SLEEPTIME_URL") ?? "http://127.0.0.1:5000",
        Recursive = true,
    };

    // No DefaultValueFactory: help text prints defaults, and this one would print the secret.
    public static readonly Option<string?> Key = new("--key")
    {
        Description = "API key (default: env SLEEPTIME_API_KEY).",
        Recursive = true,
    };

    public static async Task<int> SendAsync(ParseResult parseResult, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(parseResult.GetValue(Server)!.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
        if ((parseResult.GetValue(Key) ?? Environment.GetEnvironmentVariable("SLEEPTIME_API_KEY")) is { Length: > 0 } key)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var output = response.IsSuccessStatusCode ? Console.Out : Console.Error;
            await output.WriteLineAsync(Pretty(text)).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (HttpRequestException ex)
        {
            await Console.Error.WriteLineAsync($"Cannot reach the server at {http.BaseAddress}: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    private static string Pretty(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
