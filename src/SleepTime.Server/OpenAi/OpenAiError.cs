using System.Text.Json;
using System.Text.Json.Serialization;

namespace SleepTime.Server;

/// <summary>
/// OpenAI's error object, <c>{"error":{"message","type","param","code"}}</c>, which the official SDKs read to show
/// why a call failed. Every <c>/v1</c> failure is answered with one.
/// </summary>
public sealed record OpenAiError(
    [property: JsonIgnore] int Status,
    string Message,
    string Type,
    string? Param = null,
    string? Code = null)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The error OpenAI gives for a status: the type and code its SDKs expect for it.</summary>
    public static OpenAiError ForStatus(int status, string message, string? param = null) => status switch
    {
        400 => new(status, message, "invalid_request_error", param, param is null ? null : "invalid_value"),
        401 => new(status, message, "invalid_request_error", param, "invalid_api_key"),
        403 => new(status, message, "permission_error", param, "permission_denied"),
        404 => new(status, message, "invalid_request_error", param, "not_found"),
        405 => new(status, message, "invalid_request_error", param, "method_not_allowed"),
        409 => new(status, message, "invalid_request_error", param, "conflict"),
        413 => new(status, message, "invalid_request_error", param, "request_too_large"),
        429 => new(status, message, "requests", param, "rate_limit_exceeded"),
        502 => new(status, message, "server_error", param, "upstream_error"),
        503 => new(status, message, "server_error", param, "service_unavailable"),
        >= 500 => new(status, message, "server_error", param, "server_error"),
        _ => new(status, message, "invalid_request_error", param, null),
    };

    public static OpenAiError ModelNotFound(string model, string why) =>
        new(StatusCodes.Status404NotFound, $"The model '{model}' does not exist: {why}", "invalid_request_error", "model", "model_not_found");

    /// <summary>The body: <c>{"error":{...}}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(new { error = this }, Json);

    /// <summary>Writes the error as the whole response, unless the response has started.</summary>
    public async Task WriteAsync(HttpContext http)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        http.Response.StatusCode = Status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(ToJson(), http.RequestAborted).ConfigureAwait(false);
    }
}
