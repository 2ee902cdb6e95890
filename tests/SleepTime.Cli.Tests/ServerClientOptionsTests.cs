using System.CommandLine;

namespace SleepTime.Cli.Tests;

public sealed class ServerClientOptionsTests
{
    [Fact]
    public async Task Help_never_prints_the_api_key_from_the_environment()
    {
        const string secret = "st_secret_that_must_not_leak";
        var previous = Environment.GetEnvironmentVariable("SLEEPTIME_API_KEY");
        Environment.SetEnvironmentVariable("SLEEPTIME_API_KEY", secret);
        try
        {
            using var output = new StringWriter();
            var exit = await CliApp.CreateRoot().Parse(["context", "create", "--help"]).InvokeAsync(new InvocationConfiguration { Output = output });

            Assert.Equal(0, exit);
            Assert.Contains("--key", output.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SLEEPTIME_API_KEY", previous);
        }
    }
}
