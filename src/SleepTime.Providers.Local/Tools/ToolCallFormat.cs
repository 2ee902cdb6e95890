using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime.Providers.Local.Tools;

/// <summary>
/// The one wire format of tool calls on local models, compact JSON <c>{"name":"...","arguments":{...}}</c>: what the grammar
/// allows, what the prompt asks for, how past calls are written back into the conversation, and how a reply is read.
/// </summary>
internal static class ToolCallFormat
{
    /// <summary>M.E.AI's serializer settings, but compact: the grammar only admits compact JSON, so past calls are written so too.</summary>
    public static readonly JsonSerializerOptions Json = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>A call as the model writes it.</summary>
    public static string Write(FunctionCallContent call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var arguments = call.Arguments ?? new Dictionary<string, object?>();
        return $"{{\"name\":{JsonSerializer.Serialize(call.Name)},\"arguments\":{JsonSerializer.Serialize(arguments, Json)}}}";
    }

    /// <summary>Reads a reply as a call of one of <paramref name="tools"/>; <see langword="null"/> when it is not one (plain text, or cut off).</summary>
    public static FunctionCallContent? TryRead(string reply, IReadOnlyDictionary<string, AIFunctionDeclaration> tools)
    {
        var text = reply.Trim();
        if (!text.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || !tools.ContainsKey(name.GetString()!))
            {
                return null;
            }

            var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (root.TryGetProperty("arguments", out var values))
            {
                if (values.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                foreach (var argument in values.EnumerateObject())
                {
                    arguments[argument.Name] = argument.Value.Clone();
                }
            }

            return new FunctionCallContent("call_" + Guid.NewGuid().ToString("N")[..16], name.GetString()!, arguments);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The system prompt section that offers <paramref name="tools"/>.</summary>
    public static string Describe(IEnumerable<AIFunctionDeclaration> tools, bool allowText)
    {
        var lines = new List<string>
        {
            allowText
                ? "You can call a tool. To call one, reply with only this JSON: {\"name\":\"<tool name>\",\"arguments\":{<arguments>}}. Otherwise reply in plain text."
                : "Reply by calling one tool, with only this JSON: {\"name\":\"<tool name>\",\"arguments\":{<arguments>}}.",
            "Tools:",
        };
        foreach (var tool in tools)
        {
            var schema = tool.JsonSchema.ValueKind == JsonValueKind.Undefined ? "{}" : tool.JsonSchema.GetRawText();
            lines.Add($"- {tool.Name}: {tool.Description} Arguments: {schema}");
        }

        return string.Join("\n", lines);
    }
}
