using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>The two tools of the paper's sleep agent, declared to the model (the loop executes them itself).</summary>
internal static class SleepTools
{
    public const string Rethink = "rethink_memory";
    public const string Finish = "finish_rethinking_memory";
    public const string NewMemoryArgument = "new_memory";

    public static AITool RethinkMemory { get; } = AIFunctionFactory.CreateDeclaration(
        Rethink,
        "Replace the whole learned context with new_memory. Pass the complete text every time.",
        Schema("""
            {"type":"object","properties":{"new_memory":{"type":"string","description":"The complete new learned context."}},"required":["new_memory"]}
            """));

    public static AITool FinishRethinking { get; } = AIFunctionFactory.CreateDeclaration(
        Finish,
        "Call when the learned context is complete and checked.",
        Schema("""{"type":"object","properties":{}}"""));

    public static IList<AITool> All { get; } = [RethinkMemory, FinishRethinking];

    private static JsonElement Schema(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
