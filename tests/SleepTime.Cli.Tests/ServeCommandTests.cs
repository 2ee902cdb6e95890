namespace SleepTime.Cli.Tests;

/// <summary><c>sleeptime serve</c> refuses an address it cannot listen on in one line, not a stack trace.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "sleeptime-cli-tests", Guid.NewGuid().ToString("N") + ".db");

    [Fact]
    public async Task Serve_with_an_address_without_a_scheme_says_what_to_pass()
    {
        var run = await CliRun.InvokeAsync(["serve", "--urls", "localhost:5000", "--data", data, "--SleepTime:Server:AdminKey=st_cli_serve_test"]);

        Assert.Equal(1, run.Exit);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'localhost:5000'", line, StringComparison.Ordinal);
        Assert.Contains("--urls http://127.0.0.1:5000", line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", line, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var file in new[] { data, data + "-wal", data + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
        }
    }
}
