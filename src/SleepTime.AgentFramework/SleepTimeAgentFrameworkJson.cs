using System.Text.Json;
using System.Text.Json.Serialization;

namespace SleepTime.AgentFramework;

/// <summary>Source-generated JSON for the state this library keeps in an <c>AgentSession</c> (serializable without reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SleepTimeContextProvider.SessionState))]
internal sealed partial class SleepTimeAgentFrameworkJson : JsonSerializerContext;
