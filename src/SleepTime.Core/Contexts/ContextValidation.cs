namespace SleepTime;

/// <summary>The rules every store applies to context ids and content, so all stores reject the same input.</summary>
public static class ContextValidation
{
    public const int MaxIdLength = 128;

    private static readonly HashSet<string> ConversationRoles = new(StringComparer.Ordinal) { "system", "user", "assistant", "tool" };

    public static void ValidateId(string id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength)
        {
            throw new SleepTimeValidationException("id", $"A context id must be 1 to {MaxIdLength} characters.");
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                throw new SleepTimeValidationException("id", "A context id may contain only ASCII letters, digits, '-', '_', '.' and ':'.");
            }
        }
    }

    public static void ValidateContent(ContextKind kind, IReadOnlyList<ContextInput> content, bool allowEmpty)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!allowEmpty && (content.Count == 0 || content.All(c => string.IsNullOrWhiteSpace(c?.Text))))
        {
            throw new SleepTimeValidationException("content", "Context content must not be empty.");
        }

        foreach (var item in content)
        {
            if (item is null || item.Text is null)
            {
                throw new SleepTimeValidationException("content", "Context content items must have text.");
            }

            if (kind == ContextKind.Document && item.Role is not null)
            {
                throw new SleepTimeValidationException("role", "Document content has no role; roles belong to conversation turns.");
            }

            if (kind == ContextKind.Conversation && (item.Role is null || !ConversationRoles.Contains(item.Role)))
            {
                throw new SleepTimeValidationException("role", "Each conversation turn needs a role: system, user, assistant or tool.");
            }
        }
    }
}
