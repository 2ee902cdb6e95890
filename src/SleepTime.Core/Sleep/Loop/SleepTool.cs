using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// A tool bound to one run's working state. The model sees the declared schema; <see cref="FunctionInvokingChatClient"/>
/// hands over the model's raw arguments, which the tool reads itself so that a wrong or missing argument becomes an
/// <c>Error: …</c> result the model can correct, never an exception.
/// </summary>
internal sealed class SleepTool(string name, string description, string schema, Func<AIFunctionArguments, string> invoke) : AIFunction
{
    /// <summary>Tool results that start with this are tool errors: counted, and shown to the model.</summary>
    public const string ErrorPrefix = "Error: ";

    private readonly JsonElement jsonSchema = Parse(schema);

    public override string Name => name;

    public override string Description => description;

    public override JsonElement JsonSchema => jsonSchema;

    /// <summary>Called from inside a tool: the tool round ends and no further model call is made.</summary>
    public static void EndLoop() => FunctionInvokingChatClient.CurrentContext!.Terminate = true;

    public static string Error(string message) => ErrorPrefix + message;

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        new(invoke(arguments));

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
