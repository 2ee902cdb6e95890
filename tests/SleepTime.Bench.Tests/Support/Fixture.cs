namespace SleepTime.Bench.Tests.Support;

/// <summary>The project's own hand-written fixtures, copied beside the test assembly.</summary>
internal static class Fixture
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
