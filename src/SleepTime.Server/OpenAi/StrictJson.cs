using System.Text.Json;

namespace SleepTime.Server;

/// <summary>
/// Reads a request body strictly: malformed JSON, a duplicate key at any depth and a root that is not an object are
/// each a 400 naming the problem, before anything is answered or recorded.
/// </summary>
internal static class StrictJson
{
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    public static async Task<JsonFields> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonElement root;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, Options, cancellationToken).ConfigureAwait(false);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new SleepTimeValidationException("body", "Malformed JSON: " + ex.Message);
        }

        return root.ValueKind == JsonValueKind.Object
            ? new JsonFields(root, string.Empty)
            : throw new SleepTimeValidationException("body", "The request body must be a JSON object.");
    }

    /// <summary>Parses a JSON text held in a string field (tool-call arguments), with the same strictness.</summary>
    public static JsonElement ParseText(string text, string param)
    {
        try
        {
            using var document = JsonDocument.Parse(text, Options);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new SleepTimeValidationException(param, $"'{param}' must hold JSON: {ex.Message}");
        }
    }
}

/// <summary>
/// Typed, validated access to the fields of one JSON object; a field of the wrong type is a 400 naming its path
/// (<c>messages[2].content</c>). A JSON <c>null</c> reads as absent, as OpenAI treats it.
/// </summary>
internal readonly record struct JsonFields(JsonElement Element, string Path)
{
    public string Param(string name) => Path.Length == 0 ? name : Path + "." + name;

    public JsonElement? Get(string name) =>
        Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? String(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw Wrong(name, "a string"),
    };

    public string RequiredString(string name) =>
        String(name) ?? throw new SleepTimeValidationException(Param(name), $"'{Param(name)}' is required.");

    /// <summary>A required identifier (a role, a name, an id, a type): present and not blank.</summary>
    public string RequiredName(string name) =>
        RequiredString(name) is { } value && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new SleepTimeValidationException(Param(name), $"'{Param(name)}' must not be empty.");

    public bool? Bool(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Wrong(name, "a boolean"),
    };

    public long? Integer(string name, long min = long.MinValue, long max = long.MaxValue)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw Wrong(name, "an integer");
        }

        return number >= min && number <= max
            ? number
            : throw new SleepTimeValidationException(Param(name), $"'{Param(name)}' must be between {min} and {max}.");
    }

    public double? Number(string name, double min, double max)
    {
        if (Get(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Wrong(name, "a number");
        }

        var number = value.GetDouble();
        return number >= min && number <= max
            ? number
            : throw new SleepTimeValidationException(Param(name), $"'{Param(name)}' must be between {min} and {max}.");
    }

    public JsonFields? Object(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } v => new JsonFields(v, Param(name)),
        _ => throw Wrong(name, "an object"),
    };

    public IReadOnlyList<JsonElement>? Array(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Array } v => v.EnumerateArray().ToList(),
        _ => throw Wrong(name, "an array"),
    };

    /// <summary>The objects of an array field, each with its indexed path.</summary>
    public IReadOnlyList<JsonFields>? Objects(string name)
    {
        if (Array(name) is not { } items)
        {
            return null;
        }

        var param = Param(name);
        return items.Select((item, i) => item.ValueKind == JsonValueKind.Object
            ? new JsonFields(item, $"{param}[{i}]")
            : throw new SleepTimeValidationException($"{param}[{i}]", $"'{param}[{i}]' must be an object.")).ToList();
    }

    public SleepTimeValidationException Wrong(string name, string expected) =>
        new(Param(name), $"'{Param(name)}' must be {expected}.");
}
