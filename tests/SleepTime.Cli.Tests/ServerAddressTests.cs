namespace SleepTime.Cli.Tests;

/// <summary>A bad or unreachable <c>--server</c> is one line that says what to pass, never a stack trace.</summary>
public sealed class ServerAddressTests
{
    [Theory]
    [InlineData("localhost:5000", "http://localhost:5000")]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData("ftp://example.com", "http://127.0.0.1:5000")]
    [InlineData("not a url", "http://not a url")]
    public async Task A_server_address_without_an_http_scheme_is_one_line_saying_what_to_pass(string address, string suggestion)
    {
        foreach (var args in new[] { new[] { "context", "list" }, ["usage"], ["schedule", "get", "x"], ["events", "tail"], ["runs"] })
        {
            var run = await CliRun.InvokeAsync([.. args, "--server", address, "--key", "k"]);

            Assert.Equal(2, run.Exit);
            Assert.Empty(run.Output);
            var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(address, line, StringComparison.Ordinal);
            Assert.Contains("--server " + suggestion, line, StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unreachable_server_is_one_line_saying_so()
    {
        var run = await CliRun.InvokeAsync(["context", "list", "--server", "http://127.0.0.1:1", "--key", "k"]);

        Assert.Equal(2, run.Exit);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Cannot reach the server at http://127.0.0.1:1/", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
    }
}
