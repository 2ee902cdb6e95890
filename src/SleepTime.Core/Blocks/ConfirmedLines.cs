namespace SleepTime;

/// <summary>
/// A line of a block is confirmed when it starts with <see cref="Marker"/> (after leading spaces or a list dash).
/// The marker lives in the value itself so that it travels with the block through every store, is visible to the
/// models and to people, and survives edits that leave the line alone. Only people confirm lines: a sleep-time
/// agent may neither add the marker nor change or remove a confirmed line without review.
/// </summary>
public static class ConfirmedLines
{
    public const string Marker = "[confirmed]";

    public static bool IsConfirmed(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed.StartsWith("* ", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..].TrimStart();
        }

        return trimmed.StartsWith(Marker, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The line with the marker put in front of its text (after a list dash), unless it already has it.</summary>
    public static string Mark(string line)
    {
        if (IsConfirmed(line))
        {
            return line;
        }

        var body = line.TrimStart();
        var indent = line[..(line.Length - body.Length)];
        var bullet = body.StartsWith("- ", StringComparison.Ordinal) || body.StartsWith("* ", StringComparison.Ordinal) ? body[..2] : string.Empty;
        return $"{indent}{bullet}{Marker} {body[bullet.Length..]}";
    }

    public static IReadOnlyList<string> In(string value) =>
        BlockText.Lines(value).Where(IsConfirmed).Select(l => l.Trim()).ToList();

    /// <summary>The confirmed lines of <paramref name="before"/> that <paramref name="after"/> no longer contains verbatim.</summary>
    public static IReadOnlyList<string> Removed(string before, string after)
    {
        var remaining = In(after).GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (var line in In(before))
        {
            if (remaining.TryGetValue(line, out var count) && count > 0)
            {
                remaining[line] = count - 1;
            }
            else
            {
                removed.Add(line);
            }
        }

        return removed;
    }

    /// <summary>The confirmed lines of <paramref name="after"/> that <paramref name="before"/> did not have.</summary>
    public static IReadOnlyList<string> Added(string before, string after) => Removed(after, before);
}
