using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// Reads the usage a provider reported for one call, and counts locally whatever part it left out.
/// </summary>
public sealed class UsageMeter(ITokenCounter counter)
{
    // Chat templates add a few tokens per message around the text itself.
    private const int TokensPerMessage = 4;

    public TokenUsage Measure(IEnumerable<ChatMessage> prompt, ChatResponse response)
    {
        var reported = response.Usage;
        var input = reported?.InputTokenCount;
        var output = reported?.OutputTokenCount;
        var estimated = false;

        if (input is null)
        {
            input = prompt.Sum(m => TokensPerMessage + counter.CountTokens(MessageText(m)));
            estimated = true;
        }

        if (output is null)
        {
            output = response.Messages.Sum(m => counter.CountTokens(MessageText(m)));
            estimated = true;
        }

        return new TokenUsage(
            input.Value,
            output.Value,
            reported?.ReasoningTokenCount ?? 0,
            reported?.CachedInputTokenCount ?? 0,
            estimated);
    }

    private static string MessageText(ChatMessage message) => message.Contents is [TextContent only]
        ? only.Text
        : string.Join("\n", message.Contents.SelectMany(content => content switch
        {
            TextContent text => [text.Text],
            TextReasoningContent reasoning => [reasoning.Text],
            FunctionCallContent call => [call.Name, .. call.Arguments?.Select(a => $"{a.Key}: {a.Value}") ?? []],
            FunctionResultContent result => [result.Result?.ToString() ?? string.Empty],
            _ => Array.Empty<string>(),
        }));
}
