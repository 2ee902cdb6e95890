using System.Text.Encodings.Web;
using System.Text.Json;

namespace SleepTime.Cli.Commands;

/// <summary>
/// JSON as people read it: indented, and not escaped beyond what JSON needs (<c>+00:00</c>, not <c>\u002B00:00</c>).
/// For display only; what goes over the wire keeps the default, safe encoder.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions OneLine = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The text indented when it is JSON, else as it came.</summary>
    public static string Pretty(string text) => TryParse(text, out var element) ? JsonSerializer.Serialize(element, Indented) : text;

    /// <summary>A value on one line (for streams of events, one per line).</summary>
    public static string Line(object value) => JsonSerializer.Serialize(value, OneLine);

    public static bool TryParse(string text, out JsonElement element)
    {
        element = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            element = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
