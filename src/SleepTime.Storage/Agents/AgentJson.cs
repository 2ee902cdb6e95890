using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace SleepTime.Storage;

/// <summary>
/// How runs and change sets are stored as JSON: whole, edits included. <see cref="MemoryEdit"/> is abstract, so its
/// kinds get a discriminator here rather than attributes on the library's types.
/// </summary>
internal static class AgentJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Stored {typeof(T).Name} is empty.");

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AddEditKinds } },
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }

    private static void AddEditKinds(JsonTypeInfo info)
    {
        if (info.Type != typeof(MemoryEdit))
        {
            return;
        }

        info.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "kind",
            DerivedTypes =
            {
                new JsonDerivedType(typeof(InsertEdit), "insert"),
                new JsonDerivedType(typeof(ReplaceEdit), "replace"),
                new JsonDerivedType(typeof(RethinkEdit), "rethink"),
            },
        };
    }
}
