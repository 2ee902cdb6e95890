using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// A tool bound to one run's working state. The model sees the declared schema; <see cref="FunctionInvokingChatClient"/>
/// hands over the model's raw arguments, which the tool reads itself, so that a wrong or missing argument becomes an
/// <c>Error: …</c> result the model can correct rather than a binding exception.
/// </summary>
internal sealed class SleepTool(string name, string description, JsonElement schema, Func<AIFunctionArguments, string> invoke) : AIFunction
{
    /// <summary>Tool results that start with this are tool errors: counted on the run, and shown to the model.</summary>
    public const string ErrorPrefix = "Error: ";

    public override string Name => name;

    public override string Description => description;

    public override JsonElement JsonSchema => schema;

    public static string Error(string message) => ErrorPrefix + message;

    /// <summary>The JSON schema of an object with the given properties (name, JSON type, description).</summary>
    public static JsonElement Schema(string[] required, params (string Name, string Type, string Description)[] properties) =>
        JsonSerializer.SerializeToElement(new
        {
            type = "object",
            properties = properties.ToDictionary(p => p.Name, p => new { type = p.Type, description = p.Description }),
            required,
        });

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) => new(invoke(arguments));
}
