namespace SleepTime;

/// <summary>Readable, sortable-enough ids: a resource prefix and a random suffix (<c>block-3f2a…</c>).</summary>
public static class Ids
{
    public static string New(string prefix) => $"{prefix}-{Guid.CreateVersion7():N}";
}
