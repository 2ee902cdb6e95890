using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime.Providers.Local.Tools;

/// <summary>
/// Rewrites a conversation as the system, user and assistant text messages a chat template takes. LLamaSharp's chat
/// client reads only text, so a tool call is written as the JSON the model produced and a tool result becomes a user
/// message; instructions and the tool offer open the system message (several templates allow only one, first).
/// </summary>
internal static class TextMessages
{
    public static List<ChatMessage> From(IEnumerable<ChatMessage> messages, string? instructions, string? toolOffer)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var system = new List<string>();
        if (!string.IsNullOrWhiteSpace(instructions))
        {
            system.Add(instructions);
        }

        var rest = new List<ChatMessage>();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                system.Add(message.Text);
                continue;
            }

            var parts = new List<string>();
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        parts.Add(text.Text);
                        break;
                    case FunctionCallContent call:
                        parts.Add(ToolCallFormat.Write(call));
                        break;
                    case FunctionResultContent result:
                        parts.Add($"Tool result ({result.CallId}): {ResultText(result.Result)}");
                        break;
                }
            }

            var role = message.Role == ChatRole.Assistant ? ChatRole.Assistant : ChatRole.User;
            rest.Add(new ChatMessage(role, string.Join("\n", parts)));
        }

        if (!string.IsNullOrWhiteSpace(toolOffer))
        {
            system.Add(toolOffer);
        }

        return system.Count == 0 ? rest : [new ChatMessage(ChatRole.System, string.Join("\n\n", system)), .. rest];
    }

    private static string ResultText(object? result) => result switch
    {
        null => "null",
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString()!,
        _ => JsonSerializer.Serialize(result, ToolCallFormat.Json),
    };
}
