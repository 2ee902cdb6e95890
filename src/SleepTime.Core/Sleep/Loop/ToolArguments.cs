using System.Globalization;
using System.Text.Json;

namespace SleepTime;

/// <summary>Reads a tool call's raw arguments as models send them (JSON values, sometimes quoted numbers).</summary>
internal static class ToolArguments
{
    public static string? ReadString(IDictionary<string, object?> arguments, string name) =>
        arguments.TryGetValue(name, out var value)
            ? value switch
            {
                null or JsonElement { ValueKind: JsonValueKind.Null } => null,
                string text => text,
                JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
                JsonElement element => element.GetRawText(),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            }
            : null;

    /// <summary>Reads an optional integer, quoted or not; returns false when present but not an integer.</summary>
    public static bool TryReadInt(IDictionary<string, object?> arguments, string name, out int? number)
    {
        number = null;
        if (ReadString(arguments, name) is not { } text)
        {
            return true;
        }

        var parsed = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value);
        number = parsed ? value : null;
        return parsed;
    }
}
