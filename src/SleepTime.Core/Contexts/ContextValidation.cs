namespace SleepTime;

/// <summary>The rules every store applies to context ids and content, so all stores reject the same input.</summary>
public static class ContextValidation
{
    public const int MaxIdLength = ResourceIds.MaxLength;

    private static readonly HashSet<string> ConversationRoles = new(StringComparer.Ordinal) { "system", "user", "assistant", "tool" };

    /// <summary>The one id grammar (<see cref="ResourceIds"/>) applied to a context id.</summary>
    public static void ValidateId(string id) => ResourceIds.Validate(id, "context");

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

        if (kind == ContextKind.Codebase)
        {
            CodebaseContext.Validate(content);
        }
    }
}
