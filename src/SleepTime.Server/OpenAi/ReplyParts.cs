using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime.Server;

/// <summary>The parts of a model reply both wire formats need, read the same way for both.</summary>
internal static class ReplyParts
{
    public static IReadOnlyList<FunctionCallContent> ToolCalls(ChatResponse response) =>
        response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();

    /// <summary>
    /// The arguments as JSON text: the model's own text when the provider kept it (OpenAI's SDK does), else the
    /// parsed arguments written back compactly, each value exactly as the model wrote it.
    /// </summary>
    public static string Arguments(FunctionCallContent call) => call.RawRepresentation switch
    {
        OpenAI.Chat.ChatToolCall raw => raw.FunctionArguments.ToString(),
        _ when call.Arguments is null => "{}",
        _ => JsonSerializer.Serialize(call.Arguments, Compact),
    };

    private static JsonSerializerOptions Compact { get; } = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

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
