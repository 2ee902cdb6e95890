namespace SleepTime;

/// <summary>The life of a sleep run, in one casing everywhere. Queued and running are live; the rest are final.</summary>
public static class RunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Skipped = "skipped";

    public static IReadOnlyList<string> All { get; } = [Queued, Running, Succeeded, Failed, Cancelled, Skipped];

    public static bool IsFinal(string status) => status is Succeeded or Failed or Cancelled or Skipped;

    public static bool IsKnown(string status) => status is Queued or Running or Succeeded or Failed or Cancelled or Skipped;
}
