using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime.Providers.Local.Grammars;

/// <summary>
/// The GBNF grammar that confines a local model's reply to one tool call, <c>{"name":"...","arguments":{...}}</c>,
/// whose arguments match that tool's JSON schema; with <paramref name="AllowsText"/>, a plain-text reply (one that
/// does not start with <c>{</c> or whitespace) is allowed instead. Built only by <see cref="For"/>, which validates it.
/// </summary>
/// <param name="Gbnf">The grammar, start rule <c>root</c>.</param>
/// <param name="Tools">The tools it can call, by name.</param>
/// <param name="AllowsText">Whether a plain-text reply is allowed (tool mode auto).</param>
internal sealed record ToolCallGrammar(string Gbnf, IReadOnlyDictionary<string, AIFunctionDeclaration> Tools, bool AllowsText)
{
    public const string Root = "root";

    /// <summary>Builds and validates the grammar for <paramref name="tools"/>.</summary>
    /// <param name="tools">The tools offered; each must be a function declaration with a supported schema.</param>
    /// <param name="allowText">Allow a plain-text reply instead of a call.</param>
    /// <exception cref="UnsupportedSchemaException">A tool is not a function, two share a name, or a schema cannot be expressed.</exception>
    /// <exception cref="InvalidGrammarException">The generated grammar failed validation (a converter bug; never passed on).</exception>
    public static ToolCallGrammar For(IEnumerable<AITool> tools, bool allowText)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var functions = new Dictionary<string, AIFunctionDeclaration>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            if (tool is not AIFunctionDeclaration function)
            {
                throw new UnsupportedSchemaException($"Local models can only call function tools; '{tool.Name}' is a {tool.GetType().Name}.");
            }

            if (!functions.TryAdd(function.Name, function))
            {
                throw new UnsupportedSchemaException($"Two tools are named '{function.Name}'.");
            }
        }

        if (functions.Count == 0)
        {
            throw new ArgumentException("No tools to build a grammar for.", nameof(tools));
        }

        var builder = new GbnfBuilder();
        builder.Ensure(Root, () => allowText ? "call | text" : "call");
        var calls = new List<string>();
        foreach (var function in functions.Values)
        {
            var arguments = JsonSchemaGbnf.Value(builder, Parameters(function), function.Name);
            calls.Add(builder.Add(
                $"call-{function.Name}",
                $"{GbnfLiteral.Quote($"{{\"name\":{JsonSerializer.Serialize(function.Name)},\"arguments\":")} {arguments} \"}}\""));
        }

        builder.Ensure("call", () => string.Join(" | ", calls));
        if (allowText)
        {
            builder.Ensure("text", () => "[^{ \\t\\r\\n] .*");
        }

        var gbnf = builder.ToString();
        GbnfValidator.Validate(gbnf, Root);
        return new ToolCallGrammar(gbnf, functions, allowText);
    }

    /// <summary>A function's parameter schema; a function without one takes no arguments.</summary>
    private static JsonElement Parameters(AIFunctionDeclaration function) =>
        function.JsonSchema.ValueKind == JsonValueKind.Undefined ? EmptyObject : function.JsonSchema;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();
}
