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

    private static string MessageText(ChatMessage message)
    {
        if (message.Contents.Count == 1 && message.Contents[0] is TextContent only)
        {
            return only.Text;
        }

        var parts = new List<string>();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    parts.Add(text.Text);
                    break;
                case TextReasoningContent reasoning:
                    parts.Add(reasoning.Text);
                    break;
                case FunctionCallContent call:
                    parts.Add(call.Name);
                    if (call.Arguments is not null)
                    {
                        parts.AddRange(call.Arguments.Select(a => $"{a.Key}: {a.Value}"));
                    }

                    break;
                case FunctionResultContent result:
                    parts.Add(result.Result?.ToString() ?? string.Empty);
                    break;
            }
        }

        return string.Join("\n", parts);
    }
}
