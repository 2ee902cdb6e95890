using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime.Testing;

/// <summary>Ready-made responses for a <see cref="ScriptedChatClient"/>.</summary>
public static class ScriptedReply
{
    public const string ModelId = "scripted-model";

    private static int callIds;

    public static ChatResponse Text(string text, long? inputTokens = 100, long? outputTokens = 20, long reasoningTokens = 0, long cachedTokens = 0) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = ModelId,
            Usage = Usage(inputTokens, outputTokens, reasoningTokens, cachedTokens),
        };

    /// <summary>A reply with no usage at all, as some providers send.</summary>
    public static ChatResponse TextWithoutUsage(string text) => new(new ChatMessage(ChatRole.Assistant, text)) { ModelId = ModelId };

    public static ChatResponse ToolCalls(params (string Name, object? Arguments)[] calls) => ToolCallsWithUsage(100, 20, calls);

    public static ChatResponse ToolCallsWithUsage(long? inputTokens, long? outputTokens, params (string Name, object? Arguments)[] calls)
    {
        var contents = calls.Select(c => (AIContent)new FunctionCallContent(
            $"call_{Interlocked.Increment(ref callIds)}",
            c.Name,
            c.Arguments is null ? new Dictionary<string, object?>() : ToArguments(c.Arguments))).ToList();
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.ToolCalls,
            Usage = Usage(inputTokens, outputTokens, 0, 0),
        };
    }

    /// <summary>The paper's sleep agent writing <paramref name="memory"/>.</summary>
    public static ChatResponse Rethink(string memory) => ToolCalls(("rethink_memory", new { new_memory = memory }));

    public static ChatResponse Finish() => ToolCalls(("finish_rethinking_memory", null));

    public static ChatResponse RethinkAndFinish(string memory) =>
        ToolCalls(("rethink_memory", new { new_memory = memory }), ("finish_rethinking_memory", null));

    private static Dictionary<string, object?> ToArguments(object arguments)
    {
        // Round-trip through JSON so arguments look exactly like a provider's parsed tool call (JsonElement values).
        var json = JsonSerializer.Serialize(arguments);
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!
            .ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
    }

    private static UsageDetails? Usage(long? input, long? output, long reasoning, long cached) =>
        input is null && output is null
            ? null
            : new UsageDetails
            {
                InputTokenCount = input,
                OutputTokenCount = output,
                TotalTokenCount = (input ?? 0) + (output ?? 0),
                ReasoningTokenCount = reasoning,
                CachedInputTokenCount = cached,
            };
}
