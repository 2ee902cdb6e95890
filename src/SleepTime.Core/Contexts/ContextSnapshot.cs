using System.Text;

namespace SleepTime;

/// <summary>
/// An immutable view of a context <c>c</c> at one version. Every change makes a new version: appends add entries
/// stamped with it, a replace starts over (<see cref="BaseVersion"/> moves to the new version).
/// </summary>
public sealed record ContextSnapshot(
    string Id,
    ContextKind Kind,
    long Version,
    long BaseVersion,
    IReadOnlyList<ContextEntry> Entries,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public int Length => Entries.Sum(e => e.Text.Length);

    /// <summary>The whole context as prompt text.</summary>
    public string Render() => Render(Entries);

    /// <summary>Only what was added after <paramref name="version"/>.</summary>
    public string RenderAfter(long version) => Render(Entries.Where(e => e.Version > version).ToList());

    /// <summary>
    /// Whether a learned context derived from <paramref name="sourceVersion"/> can be brought up to date from new
    /// entries alone: true unless the context was replaced since.
    /// </summary>
    public bool CanExtend(long sourceVersion) => sourceVersion >= BaseVersion && sourceVersion <= Version;

    private string Render(IReadOnlyList<ContextEntry> entries)
    {
        if (Kind == ContextKind.Document)
        {
            return string.Join("\n", entries.Select(e => e.Text));
        }

        var builder = new StringBuilder();
        foreach (var entry in entries)
        {
            builder.Append(entry.Role ?? "user").Append(": ").Append(entry.Text).Append('\n');
        }

        return builder.ToString().TrimEnd('\n');
    }
}
