namespace SleepTime.Server;

/// <summary>Reads the content of a request into context inputs, rejecting what cannot be stored.</summary>
internal static class ContextInputs
{
    public static IReadOnlyList<ContextInput> From(string? text, IReadOnlyList<ContentItem>? content)
    {
        if (text is not null && content is not null)
        {
            throw new SleepTimeValidationException("content", "Send either 'text' or 'content', not both.");
        }

        if (text is not null)
        {
            return [ContextInput.Document(text)];
        }

        if (content is null || content.Count == 0)
        {
            throw new SleepTimeValidationException("content", "Send 'text' (a document) or 'content' (items with text, and a role for conversation turns).");
        }

        return content.Select((item, i) => item?.Text is null
            ? throw new SleepTimeValidationException($"content[{i}].text", "Each content item needs text.")
            : new ContextInput(item.Text, item.Role)).ToList();
    }

    public static ContextKind ParseKind(string? kind, IReadOnlyList<ContextInput> content) => kind?.ToLowerInvariant() switch
    {
        null => content.Any(c => c.Role is not null) ? ContextKind.Conversation : ContextKind.Document,
        "document" => ContextKind.Document,
        "conversation" => ContextKind.Conversation,
        _ => throw new SleepTimeValidationException("kind", $"Unknown kind '{kind}': use document or conversation."),
    };
}
