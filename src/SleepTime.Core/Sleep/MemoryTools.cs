using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>The sleep-time agent's four tools, declared to the model; <see cref="SleepTimeAgentLoop"/> executes them itself.</summary>
public static class MemoryTools
{
    public const string Insert = "memory_insert";
    public const string Replace = "memory_replace";
    public const string Rethink = "memory_rethink";
    public const string Finish = "memory_finish_edits";

    public static IList<AITool> All { get; } =
    [
        AIFunctionFactory.CreateDeclaration(
            Insert,
            "Insert text into a memory block after line number `line` (0 = at the top; omit to append at the end).",
            Schema("""
                {"type":"object","properties":{
                  "label":{"type":"string","description":"The block's label."},
                  "text":{"type":"string","description":"The text to insert; may span several lines."},
                  "line":{"type":"integer","description":"Insert after this line number; 0 = at the top; omit to append."}},
                 "required":["label","text"]}
                """)),
        AIFunctionFactory.CreateDeclaration(
            Replace,
            "Replace text that occurs exactly once in a memory block. Quote old_text exactly, without line numbers. Empty new_text deletes.",
            Schema("""
                {"type":"object","properties":{
                  "label":{"type":"string","description":"The block's label."},
                  "old_text":{"type":"string","description":"The exact text to replace; it must occur exactly once."},
                  "new_text":{"type":"string","description":"The replacement; empty to delete."}},
                 "required":["label","old_text","new_text"]}
                """)),
        AIFunctionFactory.CreateDeclaration(
            Rethink,
            "Rewrite a whole memory block with new_value (the complete new text).",
            Schema("""
                {"type":"object","properties":{
                  "label":{"type":"string","description":"The block's label."},
                  "new_value":{"type":"string","description":"The complete new text of the block."}},
                 "required":["label","new_value"]}
                """)),
        AIFunctionFactory.CreateDeclaration(
            Finish,
            "Call when the memory blocks are up to date (also when nothing needed changing).",
            Schema("""{"type":"object","properties":{}}""")),
    ];

    internal static string? ReadString(FunctionCallContent call, string name)
    {
        if (call.Arguments is null || !call.Arguments.TryGetValue(name, out var value))
        {
            return null;
        }

        return value switch
        {
            null => null,
            string text => text,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            JsonElement element => element.GetRawText(),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Reads an optional integer; returns false when present but not an integer.</summary>
    internal static bool TryReadInt(FunctionCallContent call, string name, out int? number)
    {
        number = null;
        if (call.Arguments is null || !call.Arguments.TryGetValue(name, out var value) || value is null or JsonElement { ValueKind: JsonValueKind.Null })
        {
            return true;
        }

        switch (value)
        {
            case int i:
                number = i;
                return true;
            case long l when l is >= int.MinValue and <= int.MaxValue:
                number = (int)l;
                return true;
            case JsonElement { ValueKind: JsonValueKind.Number } element when element.TryGetInt32(out var parsed):
                number = parsed;
                return true;
            default:
                // Models sometimes quote numbers.
                if (int.TryParse(ReadString(call, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var fromText))
                {
                    number = fromText;
                    return true;
                }

                return false;
        }
    }

    private static JsonElement Schema(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
