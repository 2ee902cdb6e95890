using System.Globalization;
using System.Text.Json;
using SleepTime.Server;

namespace SleepTime.Client.Events;

/// <summary>
/// One server event: its type (<c>run.queued</c>, <c>run.succeeded</c>, <c>memory.updated</c>, <c>change_set.created</c>…),
/// its id in the server's event log, and the JSON it carried (<see cref="Envelope"/>:
/// <c>{id, type, context_id | agent_id, at, data}</c>).
/// </summary>
public sealed record SleepTimeEvent(string Type, long? Id, JsonElement Envelope)
{
    /// <summary>The context id (contexts' streams) or the agent id (an agent's stream) the event is about.</summary>
    public string? MemoryId => Text("context_id") ?? Text("agent_id");

    public DateTimeOffset? At => Text("at") is { } at && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) ? value : null;

    /// <summary>What the event is about: a run for <c>run.*</c>, a change set for <c>change_set.*</c>; undefined when absent.</summary>
    public JsonElement Data => Envelope.ValueKind == JsonValueKind.Object && Envelope.TryGetProperty("data", out var data) ? data : default;

    /// <summary>The run of a <c>run.*</c> event; null for other events.</summary>
    public RunView? Run => Type.StartsWith("run.", StringComparison.Ordinal) && Data.ValueKind == JsonValueKind.Object
        ? Data.Deserialize<RunView>(SleepTimeJson.Options)
        : null;

    /// <summary>The change set of a <c>change_set.*</c> event; null for other events.</summary>
    public ChangeSetView? ChangeSet => Type.StartsWith("change_set.", StringComparison.Ordinal) && Data.ValueKind == JsonValueKind.Object
        ? Data.Deserialize<ChangeSetView>(SleepTimeJson.Options)
        : null;

    private string? Text(string name) =>
        Envelope.ValueKind == JsonValueKind.Object && Envelope.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
