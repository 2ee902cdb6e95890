namespace SleepTime.Storage;

/// <summary>Timestamps are stored as Unix milliseconds so both dialects compare and sort them the same way.</summary>
internal static class Clock
{
    public static long ToUnix(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnix(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static DateTimeOffset? FromUnix(long? value) => value is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    public static string Day(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
