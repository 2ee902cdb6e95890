namespace SleepTime.Client.Tests;

/// <summary>Generous deadlines for real events on a loaded machine; tests wait for conditions, never for time.</summary>
internal static class Waits
{
    public static CancellationToken Deadline(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public static TimeSpan Poll { get; } = TimeSpan.FromMilliseconds(25);
}
