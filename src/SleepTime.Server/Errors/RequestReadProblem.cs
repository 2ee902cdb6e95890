using System.Text.Json;
using System.Text.RegularExpressions;

namespace SleepTime.Server;

/// <summary>
/// What went wrong reading a request, in the client's terms: the framework's <see cref="BadHttpRequestException"/> and
/// the serializer's <see cref="JsonException"/> name parameter types and .NET types, so their messages are never
/// echoed; this says which field (a JSON path without the leading <c>$.</c>, or the parameter) and why.
/// </summary>
public sealed record RequestReadProblem(int Status, string Title, string Detail, string? Field)
{
    private static readonly Regex BindFailure = new("^Failed to bind parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly Regex Required = new("^Required parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\" was not provided from (?<source>[a-z ]+)\\.$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly Regex MediaType = new("^Expected a supported JSON media type but got \"(?<type>[^\"]*)\"\\.$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public static RequestReadProblem From(BadHttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.InnerException is JsonException json)
        {
            return From(json);
        }

        var status = exception.StatusCode;
        var message = exception.Message;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            return new(status, "Too large", "The request body is larger than this server accepts.", null);
        }

        if (BindFailure.Match(message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            return new(status, "Invalid request", $"'{name}' must be {Expected(bind.Groups["type"].Value)}; '{Clip(bind.Groups["value"].Value)}' is not.", name);
        }

        if (Required.Match(message) is { Success: true } required)
        {
            return required.Groups["source"].Value == "body"
                ? new(status, "Invalid request", "This request needs a JSON body.", "body")
                : new(status, "Invalid request", $"'{required.Groups["name"].Value}' is required.", required.Groups["name"].Value);
        }

        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
        {
            return new(status, "Invalid request", "This request needs a JSON body.", "body");
        }

        if (MediaType.Match(message) is { Success: true } media)
        {
            return new(status, "Unsupported media type", $"Send the body as application/json, not '{Clip(media.Groups["type"].Value)}'.", "Content-Type");
        }

        return new(status, status == StatusCodes.Status415UnsupportedMediaType ? "Unsupported media type" : "Bad request", "The request could not be read.", null);
    }

    public static RequestReadProblem From(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var field = FieldOf(exception.Path);
        var where = Where(exception, field);
        var message = exception.Message;
        if (message.Contains("uplicate", StringComparison.Ordinal))
        {
            return new(400, "Malformed JSON", $"The body has a duplicate property{where}; each property may appear once.", field);
        }

        if (exception.InnerException?.GetType().Name == "JsonReaderException" || message.Contains("LineNumber", StringComparison.Ordinal) && !message.Contains("converted", StringComparison.Ordinal))
        {
            return new(400, "Malformed JSON", $"The body is not valid JSON{where}: {Reason(message)}", field);
        }

        return field is null
            ? new(400, "Malformed JSON", $"The body does not have the expected shape{where}: it must be a JSON object with the documented fields.", null)
            : new(400, "Invalid request", $"'{field}' has the wrong type or is out of range{where}.", field);
    }

    /// <summary>The reader's own words (they describe tokens, never types), without the position it appends.</summary>
    private static string Reason(string message)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message[..at];
            }
        }

        message = message.Trim();
        return message.Contains("System.", StringComparison.Ordinal) || message.Contains("SleepTime.", StringComparison.Ordinal) ? "it cannot be parsed." : message;
    }

    private static string Where(JsonException exception, string? field)
    {
        var position = exception.LineNumber is { } line ? $"line {line + 1}, byte {(exception.BytePositionInLine ?? 0) + 1}" : null;
        return (field, position) switch
        {
            (null, null) => string.Empty,
            (null, _) => $" (at {position})",
            (_, null) => $" (at '{field}')",
            _ => $" (at '{field}', {position})",
        };
    }

    private static string? FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string Expected(string type) => (type.StartsWith("Nullable<", StringComparison.Ordinal) ? type[9..^1] : type).TrimEnd('?') switch
    {
        "int" or "long" or "short" or "uint" or "ulong" or "Int32" or "Int64" => "an integer",
        "double" or "float" or "decimal" or "Double" => "a number",
        "bool" or "Boolean" => "true or false",
        "DateTimeOffset" or "DateTime" => "a date and time (ISO 8601)",
        "Guid" => "a GUID",
        _ => "a valid value",
    };

    /// <summary>
    /// The detail for a problem the framework answers without one (it writes some statuses, such as a body that is not
    /// JSON, without throwing), or null to leave it as it is.
    /// </summary>
    public static (string Detail, string? Field)? ForBareStatus(int status, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return status switch
        {
            StatusCodes.Status415UnsupportedMediaType => ($"Send the body as application/json, not '{Clip(request.ContentType ?? "no content type")}'.", "Content-Type"),
            StatusCodes.Status400BadRequest => ("The request could not be read.", null),
            StatusCodes.Status404NotFound => ($"No endpoint serves {request.Method} {Clip(request.Path.Value ?? "/")}.", null),
            StatusCodes.Status405MethodNotAllowed => ($"This endpoint does not serve {request.Method}.", null),
            _ => null,
        };
    }

    private static string Clip(string value) => value.Length > 64 ? value[..64] + "…" : value;
}
