using System.Globalization;
using System.Text.Json;

namespace SleepTime;

/// <summary>Reads a tool call's raw arguments as models send them (JSON values, sometimes quoted numbers).</summary>
internal static class ToolArguments
{
    public static string? ReadString(IDictionary<string, object?> arguments, string name)
    {
        if (!arguments.TryGetValue(name, out var value))
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
    public static bool TryReadInt(IDictionary<string, object?> arguments, string name, out int? number)
    {
        number = null;
        if (!arguments.TryGetValue(name, out var value) || value is null or JsonElement { ValueKind: JsonValueKind.Null })
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
                if (int.TryParse(ReadString(arguments, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var fromText))
                {
                    number = fromText;
                    return true;
                }

                return false;
        }
    }
}
