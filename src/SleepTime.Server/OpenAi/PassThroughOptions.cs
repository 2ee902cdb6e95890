using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime.Server;

/// <summary>
/// The model options both APIs share, read strictly and carried to the test model through
/// <see cref="ChatOptions"/>: tools as declarations the client executes, tool choice, output format, sampling.
/// </summary>
internal static class PassThroughOptions
{
    /// <summary>A function the client offers; the model may call it and the call goes back to the client as is.</summary>
    public static AITool Function(JsonFields definition) => new ClientFunction(
        definition.RequiredName("name"),
        definition.String("description"),
        definition.Object("parameters")?.Element ?? EmptySchema,
        definition.Bool("strict") == true);

    public static ChatToolMode? ToolMode(JsonFields body, string name, Func<JsonFields, string> functionName)
    {
        if (body.Get(name) is not { } choice)
        {
            return null;
        }

        return choice.ValueKind switch
        {
            JsonValueKind.String => choice.GetString() switch
            {
                "auto" => ChatToolMode.Auto,
                "none" => ChatToolMode.None,
                "required" => ChatToolMode.RequireAny,
                var other => throw new SleepTimeValidationException(name, $"'{name}' must be \"auto\", \"none\", \"required\" or a function choice, not \"{other}\"."),
            },
            JsonValueKind.Object => new JsonFields(choice, name).RequiredName("type") == "function"
                ? ChatToolMode.RequireSpecific(functionName(new JsonFields(choice, name)))
                : throw new SleepTimeValidationException(name + ".type", $"'{name}.type' must be \"function\"."),
            _ => throw body.Wrong(name, "a string or an object"),
        };
    }

    /// <summary>
    /// <c>{"type":"text"|"json_object"|"json_schema", ...}</c>; the schema is read from <paramref name="schemaHolder"/>
    /// (chat completions nest it in <c>json_schema</c>, Responses put it beside <c>type</c>).
    /// </summary>
    public static ChatResponseFormat? Format(JsonFields? format, Func<JsonFields, JsonFields?> schemaHolder)
    {
        if (format is not { } f)
        {
            return null;
        }

        switch (f.RequiredName("type"))
        {
            case "text":
                return ChatResponseFormat.Text;
            case "json_object":
                return ChatResponseFormat.Json;
            case "json_schema":
                var holder = schemaHolder(f) ?? throw new SleepTimeValidationException(f.Param("json_schema"), $"'{f.Param("json_schema")}' is required for type json_schema.");
                var schema = holder.Object("schema")?.Element ?? EmptySchema;
                return ChatResponseFormat.ForJsonSchema(schema, holder.RequiredName("name"), holder.String("description"));
            case var other:
                throw new SleepTimeValidationException(f.Param("type"), $"'{f.Param("type")}' must be text, json_object or json_schema, not \"{other}\".");
        }
    }

    /// <summary>Whether a json_schema format asks for strict adherence.</summary>
    public static bool Strict(JsonFields? format, Func<JsonFields, JsonFields?> schemaHolder) =>
        format is { } f && f.String("type") == "json_schema" && schemaHolder(f)?.Bool("strict") == true;

    public static ReasoningEffort? Effort(string? text, string param) => text switch
    {
        null => null,
        "none" => ReasoningEffort.None,

        // M.E.AI has no "minimal": the nearest level it can carry.
        "minimal" or "low" => ReasoningEffort.Low,
        "medium" => ReasoningEffort.Medium,
        "high" => ReasoningEffort.High,
        "xhigh" => ReasoningEffort.ExtraHigh,
        _ => throw new SleepTimeValidationException(param, $"'{param}' must be none, minimal, low, medium, high or xhigh, not \"{text}\"."),
    };

    public static IList<string>? Stop(JsonFields body, string name)
    {
        if (body.Get(name) is not { } stop)
        {
            return null;
        }

        var list = stop.ValueKind switch
        {
            JsonValueKind.String => [stop.GetString()!],
            JsonValueKind.Array => stop.EnumerateArray().Select((s, i) => s.ValueKind == JsonValueKind.String
                ? s.GetString()!
                : throw new SleepTimeValidationException($"{name}[{i}]", $"'{name}[{i}]' must be a string.")).ToList(),
            _ => throw body.Wrong(name, "a string or an array of strings"),
        };
        return list.Count <= 4 ? list : throw new SleepTimeValidationException(name, $"'{name}' may hold at most 4 sequences.");
    }

    private static JsonElement EmptySchema { get; } = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    /// <summary>
    /// A function declaration only: the facade never invokes it. Strictness is an additional property, where the
    /// OpenAI adapter looks for it before the options' own.
    /// </summary>
    private sealed class ClientFunction(string name, string? description, JsonElement schema, bool strict) : AIFunctionDeclaration
    {
        public override string Name => name;

        public override string Description => description ?? string.Empty;

        public override JsonElement JsonSchema => schema;

        // Always stated: a strict response format must not make the client's other tools strict.
        public override IReadOnlyDictionary<string, object?> AdditionalProperties { get; } = new Dictionary<string, object?> { ["strict"] = strict };
    }
}
