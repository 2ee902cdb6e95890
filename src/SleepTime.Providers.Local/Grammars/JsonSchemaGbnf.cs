using System.Text.Json;

namespace SleepTime.Providers.Local.Grammars;

/// <summary>
/// Converts the subset of JSON Schema that tool parameters use into GBNF rules that accept exactly the JSON values
/// the schema allows, written compactly (no whitespace between tokens, which a small model would otherwise pad
/// endlessly): <c>object</c> with <c>properties</c> and
/// <c>required</c>, <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>, <c>null</c>, <c>enum</c>,
/// <c>const</c>, <c>array</c> with <c>items</c> (and <c>maxItems</c>, up to <see cref="MaxItemsLimit"/>), and
/// <c>type</c> lists such as <c>["string","null"]</c>.
/// </summary>
/// <remarks>
/// Properties come in the schema's order, required ones first; optional ones may be left out. Annotations
/// (<c>description</c>, <c>title</c>, <c>default</c>, <c>examples</c>, <c>$schema</c>) are ignored, and so is
/// <c>additionalProperties</c> (no extra property is ever generated). Any other keyword (<c>anyOf</c>, <c>$ref</c>,
/// <c>pattern</c>, <c>minimum</c>, ...) is refused with an <see cref="UnsupportedSchemaException"/> naming it, rather
/// than silently producing values the schema forbids.
/// </remarks>
internal static class JsonSchemaGbnf
{
    private static readonly HashSet<string> Annotations = ["description", "title", "default", "examples", "$schema", "additionalProperties"];
    private static readonly HashSet<string> Structural = ["type", "properties", "required", "enum", "const", "items", "maxItems"];

    /// <summary>The largest <c>maxItems</c> converted (each allowed item nests the grammar one level deeper).</summary>
    public const int MaxItemsLimit = 64;

    /// <summary>Adds the rules for values of <paramref name="schema"/>; returns the rule name that matches one.</summary>
    /// <param name="builder">Receives the rules.</param>
    /// <param name="schema">The schema.</param>
    /// <param name="path">Where the schema is, for error messages (e.g. <c>memory_insert.line</c>).</param>
    /// <exception cref="UnsupportedSchemaException">The schema uses something the converter cannot express.</exception>
    public static string Value(GbnfBuilder builder, JsonElement schema, string path)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw Unsupported(path, $"the schema is a JSON {schema.ValueKind.ToString().ToLowerInvariant()}, not an object");
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Annotations.Contains(keyword.Name) && !Structural.Contains(keyword.Name))
            {
                throw Unsupported(path, $"the keyword '{keyword.Name}' is not supported");
            }
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            return builder.Add(path, Literal(constant));
        }

        if (schema.TryGetProperty("enum", out var values))
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
            {
                throw Unsupported(path, "'enum' must be a non-empty array");
            }

            return builder.Add(path, string.Join(" | ", values.EnumerateArray().Select(Literal)));
        }

        if (!schema.TryGetProperty("type", out var type))
        {
            throw Unsupported(path, "a schema without 'type' (any value) is not supported; give the type");
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return OfType(builder, schema, type.GetString()!, path);
        }

        if (type.ValueKind == JsonValueKind.Array && type.GetArrayLength() > 0 && type.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String))
        {
            var alternatives = type.EnumerateArray().Select(t => OfType(builder, schema, t.GetString()!, path)).Distinct();
            return builder.Add(path, string.Join(" | ", alternatives));
        }

        throw Unsupported(path, "'type' must be a type name or a list of them");
    }

    private static string OfType(GbnfBuilder builder, JsonElement schema, string type, string path) => type switch
    {
        "object" => Object(builder, schema, path),
        "array" => Array(builder, schema, path),
        "string" => Primitives.String(builder),
        "integer" => Primitives.Integer(builder),
        "number" => Primitives.Number(builder),
        "boolean" => Primitives.Boolean(builder),
        "null" => Primitives.Null(builder),
        _ => throw Unsupported(path, $"the type '{type}' is not a JSON Schema type"),
    };

    private static string Object(GbnfBuilder builder, JsonElement schema, string path)
    {
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("required", out var requiredList))
        {
            if (requiredList.ValueKind != JsonValueKind.Array || requiredList.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
            {
                throw Unsupported(path, "'required' must be a list of property names");
            }

            required.UnionWith(requiredList.EnumerateArray().Select(r => r.GetString()!));
        }

        var properties = new List<(string Name, string Pair)>();
        if (schema.TryGetProperty("properties", out var declared))
        {
            if (declared.ValueKind != JsonValueKind.Object)
            {
                throw Unsupported(path, "'properties' must be an object");
            }

            foreach (var property in declared.EnumerateObject())
            {
                var value = Value(builder, property.Value, $"{path}.{property.Name}");
                var pair = $"{GbnfLiteral.Quote(JsonSerializer.Serialize(property.Name) + ":")} {value}";
                properties.Add((property.Name, builder.Add($"{path}-{property.Name}-kv", pair)));
            }
        }

        var missing = required.Where(r => properties.All(p => p.Name != r)).ToList();
        if (missing.Count > 0)
        {
            throw Unsupported(path, $"required properties {string.Join(", ", missing)} are not declared in 'properties'");
        }

        var mandatory = properties.Where(p => required.Contains(p.Name)).Select(p => p.Pair).ToList();
        var optional = properties.Where(p => !required.Contains(p.Name)).Select(p => p.Pair).ToList();
        const string comma = "\",\"";
        string body;
        if (mandatory.Count > 0)
        {
            var parts = new List<string> { mandatory[0] };
            parts.AddRange(mandatory.Skip(1).Select(p => $"{comma} {p}"));
            parts.AddRange(optional.Select(p => $"({comma} {p})?"));
            body = string.Join(" ", parts);
        }
        else if (optional.Count > 0)
        {
            // Any in-order subset of the optional properties, with commas only between them:
            // from-i ::= kv-i (, kv-(i+1))? (, kv-(i+2))? ... | from-(i+1).
            string? next = null;
            for (var i = optional.Count - 1; i >= 0; i--)
            {
                var tail = string.Concat(optional.Skip(i + 1).Select(p => $" ({comma} {p})?"));
                var first = $"{optional[i]}{tail}";
                next = builder.Add($"{path}-from-{i}", next is null ? first : $"{first} | {next}");
            }

            body = $"({next})?";
        }
        else
        {
            body = "";
        }

        return builder.Add(path, body.Length == 0 ? "\"{}\"" : $"\"{{\" {body} \"}}\"");
    }

    private static string Array(GbnfBuilder builder, JsonElement schema, string path)
    {
        if (!schema.TryGetProperty("items", out var items))
        {
            throw Unsupported(path, "an array needs 'items' (the schema of its elements)");
        }

        var item = Value(builder, items, $"{path}[]");
        if (!schema.TryGetProperty("maxItems", out var max))
        {
            return builder.Add(path, $"\"[\" ({item} (\",\" {item})*)? \"]\"");
        }

        if (!max.TryGetInt32(out var count) || count is < 0 or > MaxItemsLimit)
        {
            throw Unsupported(path, $"'maxItems' must be an integer from 0 to {MaxItemsLimit}");
        }

        // At most count items: item ("," item ("," item)?)? ...
        var nested = "";
        for (var i = 0; i < count; i++)
        {
            nested = nested.Length == 0 ? item : $"{item} (\",\" {nested})?";
        }

        return builder.Add(path, nested.Length == 0 ? "\"[]\"" : $"\"[\" ({nested})? \"]\"");
    }

    private static string Literal(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null
            => GbnfLiteral.Quote(value.GetRawText()),
        _ => throw new UnsupportedSchemaException($"Only strings, numbers, booleans and null can be enum or const values (got {value.GetRawText()})."),
    };

    private static UnsupportedSchemaException Unsupported(string path, string problem) =>
        new($"The JSON schema at '{path}' cannot be turned into a grammar for local models: {problem}.");

    /// <summary>The shared rules for JSON's primitive values.</summary>
    private static class Primitives
    {
        public static string String(GbnfBuilder b)
        {
            var hex = b.Ensure("hex", () => "[0-9a-fA-F]");
            var character = b.Ensure("char", () => $"[^\"\\\\\\x00-\\x1F\\x7F] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" {hex} {hex} {hex} {hex})");
            return b.Ensure("string", () => $"\"\\\"\" {character}* \"\\\"\"");
        }

        // Digit runs are bounded (a small model otherwise writes zeros until the token limit): 16 digits is beyond
        // what a 64-bit integer or a double holds exactly anyway.
        public static string Integer(GbnfBuilder b) =>
            b.Ensure("integer", () => $"\"-\"? (\"0\" | [1-9] {UpTo(b, "digits", 15)})");

        public static string Number(GbnfBuilder b) =>
            b.Ensure("number", () => $"{Integer(b)} (\".\" [0-9] {UpTo(b, "digits", 15)})? ([eE] [-+]? [0-9] [0-9]? [0-9]?)?");

        /// <summary>Zero to <paramref name="count"/> digits: <c>([0-9] ([0-9] (...)?)?)?</c>.</summary>
        private static string UpTo(GbnfBuilder b, string name, int count) => b.Ensure(name, () =>
        {
            var nested = "";
            for (var i = 0; i < count; i++)
            {
                nested = nested.Length == 0 ? "[0-9]" : $"[0-9] ({nested})?";
            }

            return $"({nested})?";
        });

        public static string Boolean(GbnfBuilder b) => b.Ensure("boolean", () => "\"true\" | \"false\"");

        public static string Null(GbnfBuilder b) => b.Ensure("null", () => "\"null\"");
    }
}
