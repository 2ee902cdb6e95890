using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime.Server;

/// <summary>The parts of a model reply both wire formats need, read the same way for both.</summary>
internal static class ReplyParts
{
    public static IReadOnlyList<FunctionCallContent> ToolCalls(ChatResponse response) =>
        response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();

    /// <summary>The arguments as JSON text: the parsed values written back compactly, each value as the model wrote it.</summary>
    public static string Arguments(FunctionCallContent call) =>
        call.Arguments is null ? "{}" : JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions);

    /// <summary>OpenAI's finish reason; a reply with tool calls and no stated reason finished for them.</summary>
    public static string FinishReason(ChatResponse response)
    {
        if (response.FinishReason is { } reason)
        {
            return reason.Value;
        }

        return ToolCalls(response).Count > 0 ? "tool_calls" : "stop";
    }

    public static object ChatUsage(TokenUsage usage) => new
    {
        prompt_tokens = usage.InputTokens,
        completion_tokens = usage.OutputTokens,
        total_tokens = usage.TotalTokens,
        prompt_tokens_details = new { cached_tokens = usage.CachedInputTokens },
        completion_tokens_details = new { reasoning_tokens = usage.ReasoningTokens },
    };

    public static object ResponsesUsage(TokenUsage usage) => new
    {
        input_tokens = usage.InputTokens,
        input_tokens_details = new { cached_tokens = usage.CachedInputTokens },
        output_tokens = usage.OutputTokens,
        output_tokens_details = new { reasoning_tokens = usage.ReasoningTokens },
        total_tokens = usage.TotalTokens,
    };
}
