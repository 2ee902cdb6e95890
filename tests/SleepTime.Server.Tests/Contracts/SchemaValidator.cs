using System.Text.Json;

namespace SleepTime.Server.Tests.Contracts;

/// <summary>
/// The JSON Schema subset the ASP.NET Core OpenAPI generator emits (OpenAPI 3.1): <c>$ref</c>, <c>type</c> (one or a
/// list), <c>properties</c>, <c>required</c>, <c>items</c>, <c>additionalProperties</c>, <c>enum</c>, <c>oneOf</c>,
/// <c>anyOf</c>, <c>allOf</c>. Stricter than JSON Schema in one way: an object whose schema lists properties and says
/// nothing of others may not carry others, so a handler that returns something other than its documented type fails.
/// </summary>
public sealed class SchemaValidator(JsonElement document)
{
    public IReadOnlyList<string> Validate(JsonElement schema, JsonElement value)
    {
        var errors = new List<string>();
        Check(schema, value, "$", errors, 0);
        return errors;
    }

    private JsonElement Resolve(JsonElement schema)
    {
        for (var hops = 0; hops < 32 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); hops++)
        {
            var target = document;
            foreach (var part in reference.GetString()!.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            }

            schema = target;
        }

        return schema;
    }

    private void Check(JsonElement schema, JsonElement value, string at, List<string> errors, int depth)
    {
        if (depth > 64)
        {
            return;
        }

        schema = Resolve(schema);
        if (schema.ValueKind == JsonValueKind.True || schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("allOf", out var all))
        {
            foreach (var part in all.EnumerateArray())
            {
                Check(part, value, at, errors, depth + 1);
            }
        }

        foreach (var keyword in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(keyword, out var options) && !options.EnumerateArray().Any(o => Validate(o, value, depth).Count == 0))
            {
                errors.Add($"{at}: matches none of the {keyword} schemas");
            }
        }

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, value, schema))
        {
            errors.Add($"{at}: expected {type.GetRawText()}, got {value.ValueKind} {Clip(value.GetRawText())}");
            return;
        }

        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
        {
            errors.Add($"{at}: {Clip(value.GetRawText())} is not one of {Clip(allowed.GetRawText())}");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(schema, value, at, errors, depth);
                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(items, item, $"{at}[{i++}]", errors, depth + 1);
                }

                break;
        }
    }

    private List<string> Validate(JsonElement schema, JsonElement value, int depth)
    {
        var errors = new List<string>();
        Check(schema, value, "$", errors, depth + 1);
        return errors;
    }

    private void CheckObject(JsonElement schema, JsonElement value, string at, List<string> errors, int depth)
    {
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add($"{at}: required property '{name}' is missing");
                }
            }
        }

        var extra = schema.TryGetProperty("additionalProperties", out var additional) ? additional : default;
        foreach (var property in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Check(propertySchema, property.Value, $"{at}.{property.Name}", errors, depth + 1);
            }
            else if (extra.ValueKind == JsonValueKind.Object)
            {
                Check(extra, property.Value, $"{at}.{property.Name}", errors, depth + 1);
            }
            else if (extra.ValueKind == JsonValueKind.False || (extra.ValueKind == JsonValueKind.Undefined && properties.ValueKind == JsonValueKind.Object))
            {
                errors.Add($"{at}: property '{property.Name}' is not in the schema");
            }
        }
    }

    private static bool TypeMatches(JsonElement type, JsonElement value, JsonElement schema)
    {
        var nullable = schema.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True;
        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Any(t => Is(t.GetString(), value)) || (nullable && value.ValueKind == JsonValueKind.Null)
            : Is(type.GetString(), value) || (nullable && value.ValueKind == JsonValueKind.Null);
    }

    private static bool Is(string? type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && d == decimal.Truncate(d),
        _ => true,
    };

    private static string Clip(string text) => text.Length > 120 ? text[..120] + "…" : text;
}
