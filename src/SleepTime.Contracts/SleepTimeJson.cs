using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace SleepTime.Server;

/// <summary>
/// The wire format of the /api surface, as the server writes it: snake_case names and dictionary keys, enums as
/// snake_case strings, web defaults. The typed client reads and writes with these options; their type information
/// comes from the source-generated <see cref="SleepTimeJsonContext"/>.
/// </summary>
public static class SleepTimeJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.Strict,
            TypeInfoResolver = JsonTypeInfoResolver.Combine(new ReflectionFor(typeof(SchedulePolicy)), SleepTimeJsonContext.Default),
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// Reflection metadata for the types whose init-only properties have defaults: generated metadata sets every
    /// init-only property, so a field left out of the JSON would read as 0 instead of its default.
    /// </summary>
    private sealed class ReflectionFor(params Type[] types) : IJsonTypeInfoResolver
    {
        private readonly DefaultJsonTypeInfoResolver reflection = new();

        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) =>
            Array.IndexOf(types, type) >= 0 ? reflection.GetTypeInfo(type, options) : null;
    }
}

/// <summary>Source-generated serializers for every request and response record of the API.</summary>
[JsonSerializable(typeof(CreateTenantRequest))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(ApiKeyCreated))]
[JsonSerializable(typeof(TenantView))]
[JsonSerializable(typeof(TenantUpdateRequest))]
[JsonSerializable(typeof(CreateContextRequest))]
[JsonSerializable(typeof(WriteContextRequest))]
[JsonSerializable(typeof(MoveCodebaseRequest))]
[JsonSerializable(typeof(OverviewView))]
[JsonSerializable(typeof(ContextView))]
[JsonSerializable(typeof(ContextPageView))]
[JsonSerializable(typeof(EntryPageView))]
[JsonSerializable(typeof(LearnedContextView))]
[JsonSerializable(typeof(List<LearnedContextView>))]
[JsonSerializable(typeof(LearnedContextProvenance))]
[JsonSerializable(typeof(LearnedDiffView))]
[JsonSerializable(typeof(SchedulePolicy))]
[JsonSerializable(typeof(HealthView))]
[JsonSerializable(typeof(ReadyView))]
[JsonSerializable(typeof(AskRequest))]
[JsonSerializable(typeof(AnswerView))]
[JsonSerializable(typeof(List<AnswerView>))]
[JsonSerializable(typeof(RunView))]
[JsonSerializable(typeof(List<RunView>))]
[JsonSerializable(typeof(UsageReport))]
[JsonSerializable(typeof(CreateBlockRequest))]
[JsonSerializable(typeof(UpdateBlockRequest))]
[JsonSerializable(typeof(Block))]
[JsonSerializable(typeof(List<Block>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(CreateAgentRequest))]
[JsonSerializable(typeof(AgentView))]
[JsonSerializable(typeof(List<AgentView>))]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(TurnView))]
[JsonSerializable(typeof(MessageView))]
[JsonSerializable(typeof(List<MessageView>))]
[JsonSerializable(typeof(CreateSleepTimeAgentRequest))]
[JsonSerializable(typeof(SleepTimeAgentView))]
[JsonSerializable(typeof(List<SleepTimeAgentView>))]
[JsonSerializable(typeof(ReviewRequest))]
[JsonSerializable(typeof(ChangeSetView))]
[JsonSerializable(typeof(List<ChangeSetView>))]
[JsonSerializable(typeof(RevertView))]
[JsonSerializable(typeof(AttachDocumentRequest))]
[JsonSerializable(typeof(DocumentView))]
[JsonSerializable(typeof(List<DocumentView>))]
[JsonSerializable(typeof(InsertPassageRequest))]
[JsonSerializable(typeof(PassageView))]
[JsonSerializable(typeof(List<PassageView>))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class SleepTimeJsonContext : JsonSerializerContext;
