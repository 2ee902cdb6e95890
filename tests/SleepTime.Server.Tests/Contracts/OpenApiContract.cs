using System.Text.Json;
using System.Text.RegularExpressions;

namespace SleepTime.Server.Tests.Contracts;

/// <summary>
/// Checks recorded responses against the server's own /openapi/v1.json: the operation (method and route template)
/// must document the status, the content type must be one it documents, and a JSON body must validate against the
/// schema for that operation and status. A method the route does not serve (the framework's 405) has no operation.
/// </summary>
public sealed partial class OpenApiContract
{
    /// <summary>
    /// Operations whose success responses their owners have not typed yet (usage, events: edited in parallel): an
    /// undocumented 2xx there is skipped, not failed; their problem responses are checked like every other.
    /// </summary>
    public static readonly IReadOnlySet<string> Untyped = new HashSet<string>(StringComparer.Ordinal)
    {
        "GET /api/events", "GET /api/contexts/{id}/events", "GET /api/agents/{id}/events",
    };

    private readonly JsonElement document;
    private readonly SchemaValidator validator;

    public OpenApiContract(string json)
    {
        document = JsonDocument.Parse(json).RootElement.Clone();
        validator = new SchemaValidator(document);
    }

    public JsonElement Document => document;

    /// <summary>Every operation in the document as "METHOD /path".</summary>
    public IEnumerable<string> Operations() =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(op => op.Name is "get" or "post" or "put" or "patch" or "delete")
            .Select(op => $"{op.Name.ToUpperInvariant()} {Normalize(path.Name)}"));

    /// <summary>What is wrong with <paramref name="response"/>, or null when it is checked and fine; empty when skipped.</summary>
    public string? Check(RecordedResponse response, out bool skipped)
    {
        skipped = false;
        var template = Normalize(response.Template);
        var path = document.GetProperty("paths").EnumerateObject().FirstOrDefault(p => Normalize(p.Name) == template);
        if (path.Value.ValueKind != JsonValueKind.Object)
        {
            return $"{response.Method} {template} -> {response.Status}: the route is not in the OpenAPI document";
        }

        if (!path.Value.TryGetProperty(response.Method.ToLowerInvariant(), out var operation))
        {
            skipped = true; // the framework's 405 for a method this route does not serve
            return null;
        }

        var where = $"{response.Method} {template} -> {response.Status} ({response.ContentType ?? "no content type"})";
        var responses = operation.GetProperty("responses");
        if (!responses.TryGetProperty(response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var documented)
            && !responses.TryGetProperty("default", out documented))
        {
            if (response.Status < 300 && Untyped.Contains($"{response.Method} {template}"))
            {
                skipped = true;
                return null;
            }

            return $"{where}: status {response.Status} is not documented (documented: {string.Join(", ", responses.EnumerateObject().Select(r => r.Name))})";
        }

        if (!documented.TryGetProperty("content", out var content) || !content.EnumerateObject().Any())
        {
            return response.Body.Length == 0 ? null : $"{where}: documented without a body, but sent {Clip(response.Body)}";
        }

        var mediaType = response.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || !content.TryGetProperty(mediaType, out var media))
        {
            return $"{where}: content type is not documented (documented: {string.Join(", ", content.EnumerateObject().Select(c => c.Name))})";
        }

        if (mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            if (!media.TryGetProperty("schema", out var schema))
            {
                return $"{where}: documented without a schema";
            }

            if (response.Truncated)
            {
                skipped = true;
                return null;
            }

            JsonElement body;
            try
            {
                body = JsonDocument.Parse(response.Body).RootElement.Clone();
            }
            catch (JsonException ex)
            {
                return $"{where}: the body is not JSON ({ex.Message}): {Clip(response.Body)}";
            }

            var errors = validator.Validate(schema, body);
            if (errors.Count > 0)
            {
                return $"{where}: {string.Join("; ", errors.Take(5))} in {Clip(response.Body)}";
            }
        }

        return null;
    }

    public static string Normalize(string template)
    {
        var path = Constraint().Replace(template, "{${name}}");
        path = "/" + path.Trim('/');
        return path;
    }

    private static string Clip(string text) => text.Length > 300 ? text[..300] + "…" : text;

    [GeneratedRegex(@"\{(?<name>[^}:=?]+)[^}]*\}")]
    private static partial Regex Constraint();
}
