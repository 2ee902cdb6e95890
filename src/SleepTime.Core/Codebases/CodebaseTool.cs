using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>An asynchronous read-only tool over a codebase; like <see cref="SleepTool"/> it reads the model's raw arguments itself.</summary>
internal sealed class CodebaseTool(string name, string description, JsonElement schema, Func<AIFunctionArguments, CancellationToken, Task<string>> invoke) : AIFunction
{
    public override string Name => name;

    public override string Description => description;

    public override JsonElement JsonSchema => schema;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        await invoke(arguments, cancellationToken).ConfigureAwait(false);
}
