using System.Net.Http.Json;
using System.Text.Json;
using SleepTime.Server;

namespace SleepTime.Client.Http;

/// <summary>Sends typed requests with the server's wire format and turns a refusal into a <see cref="SleepTimeApiException"/>.</summary>
internal sealed class ApiConnection(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path, CancellationToken cancellationToken) =>
        await ReadAsync<TResponse>(await SendRawAsync(method, path, null, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest body, CancellationToken cancellationToken) =>
        await ReadAsync<TResponse>(await SendRawAsync(method, path, JsonContent.Create(body, options: SleepTimeJson.Options), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The answer to a request, whatever its status; the caller owns it.</summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, bool throwOnError = true)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (throwOnError && !response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }

        return response;
    }

    public static async Task<TResponse> ReadAsync<TResponse>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            return await response.Content.ReadFromJsonAsync<TResponse>(SleepTimeJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new SleepTimeApiException($"The server answered {(int)response.StatusCode} with an empty body.");
        }
    }

    /// <summary>The exception for a refused request, from its problem details when it has them.</summary>
    public static async Task<SleepTimeApiException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? title = null, detail = null, type = null, field = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                title = Text(document.RootElement, "title");
                detail = Text(document.RootElement, "detail");
                type = Text(document.RootElement, "type");
                field = Text(document.RootElement, "field");
            }
        }
        catch (JsonException)
        {
            detail = body.Length > 0 ? body : null;
        }

        return new SleepTimeApiException(response.StatusCode, title ?? response.ReasonPhrase, detail, type, field, body);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
