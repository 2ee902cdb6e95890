namespace SleepTime.Console.Tests.Browser;

/// <summary>
/// A <c>[Fact]</c> that runs only where a Chromium is installed (Debian's <c>chromium</c> package, or the browser named
/// by <c>SLEEPTIME_CHROMIUM</c>); elsewhere it is skipped with the reason. <c>.ci/run</c> installs the package when it can.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.MissingReason() is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>Where the browser is, and how it is started (headless, no sandbox: tests run as root in CI).</summary>
public static class Chromium
{
    public const string DefaultPath = "/usr/bin/chromium";

    public static readonly string[] Arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

    public static string ExecutablePath => Environment.GetEnvironmentVariable("SLEEPTIME_CHROMIUM") is { Length: > 0 } configured ? configured : DefaultPath;

    public static string? MissingReason() => File.Exists(ExecutablePath)
        ? null
        : $"No Chromium at {ExecutablePath}: install Debian's package (`apt-get install -y chromium`, which .ci/run does when it runs as root) or set SLEEPTIME_CHROMIUM to a Chromium binary.";
}
