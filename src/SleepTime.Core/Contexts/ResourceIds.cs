namespace SleepTime;

/// <summary>
/// The one grammar for every id a client may choose (contexts, tenants): 1 to 128 ASCII letters, digits, '-', '_', '.'
/// and ':', and never "." or "..", which a URL path normalises away, so such a resource could be created but never
/// read or deleted again.
/// </summary>
public static class ResourceIds
{
    public const int MaxLength = 128;

    /// <summary>Throws a validation error naming <paramref name="field"/> when <paramref name="id"/> is not a routable id.</summary>
    public static void Validate(string? id, string what, string field = "id")
    {
        if (Problem(id, what) is { } problem)
        {
            throw new SleepTimeValidationException(field, problem);
        }
    }

    /// <summary>Why <paramref name="id"/> is not a valid id, or null when it is.</summary>
    public static string? Problem(string? id, string what)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxLength)
        {
            return $"A {what} id must be 1 to {MaxLength} characters.";
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return $"A {what} id may contain only ASCII letters, digits, '-', '_', '.' and ':'.";
            }
        }

        return id is "." or ".."
            ? $"A {what} id cannot be '.' or '..': a URL path cannot name it, so it could never be read or deleted."
            : null;
    }
}
