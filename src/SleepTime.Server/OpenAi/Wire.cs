using System.Text.Json;
using System.Text.Json.Serialization;

namespace SleepTime.Server;

/// <summary>How facade objects are serialized: the names as written (they are OpenAI's), nulls omitted only where marked.</summary>
internal static class Wire
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
