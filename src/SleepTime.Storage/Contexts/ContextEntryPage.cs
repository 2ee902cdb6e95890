namespace SleepTime.Storage;

/// <summary>A page of a context's entries in order, starting <see cref="Offset"/> entries in, out of <see cref="Total"/>.</summary>
public sealed record ContextEntryPage(IReadOnlyList<ContextEntry> Items, long Offset, long Total);
