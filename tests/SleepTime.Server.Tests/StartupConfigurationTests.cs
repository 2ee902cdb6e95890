namespace SleepTime.Server.Tests;

public sealed class StartupConfigurationTests
{
    [Fact]
    public async Task Clustered_scheduling_on_a_sqlite_file_is_refused_at_start_with_the_reason()
    {
        await using var server = new ServerFactory(settings: new Dictionary<string, string?> { ["SleepTime:Scheduling:Clustered"] = "true" });

        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient());

        Assert.Contains("Clustered needs PostgreSQL", error.ToString(), StringComparison.Ordinal);
    }
}
