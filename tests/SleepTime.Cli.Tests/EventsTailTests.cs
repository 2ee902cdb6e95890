using System.Text.Json;

namespace SleepTime.Cli.Tests;

/// <summary><c>sleeptime events tail</c> follows the server's SSE stream, one JSON line per event, until cancelled (Ctrl-C).</summary>
public sealed class EventsTailTests : IAsyncLifetime
{
    private CliServer server = null!;

    public async Task InitializeAsync() => server = await CliServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Tail_prints_the_run_events_of_a_sleep_and_ends_cleanly_when_cancelled()
    {
        await server.JsonAsync("context", "create", "--id", "watched", "--schedule", """{"on_change": false}""", "The ferry leaves at 7.");
        var output = new SharedWriter();
        var error = new SharedWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var tail = CliRun.InvokeAsync(["events", "tail", "--context", "watched", "--server", server.Url, "--key", CliServer.AdminKey], output, error, stop.Token);
        await WaitUntilAsync(() => error.ToString().Contains("Following", StringComparison.Ordinal), () => $"tail never connected: {error}");

        Assert.Equal(0, (await server.RunAsync("sleep", "watched")).Exit);
        await WaitUntilAsync(() => output.ToString().Contains("run.succeeded", StringComparison.Ordinal), () => $"no run.succeeded in: {output} / {error}");
        await stop.CancelAsync();

        Assert.Equal(0, await tail);
        var events = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var types = events.Select(e => e.GetProperty("event").GetString()).ToList();
        Assert.Contains("run.queued", types);
        Assert.True(types.IndexOf("run.queued") < types.IndexOf("run.succeeded"), string.Join(", ", types));
        var succeeded = events.First(e => e.GetProperty("event").GetString() == "run.succeeded");
        Assert.Equal("watched", succeeded.GetProperty("data").GetProperty("context_id").GetString());
    }

    [Fact]
    public async Task Tail_of_an_unknown_context_says_so_and_exits()
    {
        var run = await server.RunAsync("events", "tail", "--context", "nope");

        Assert.Equal(1, run.Exit);
        Assert.StartsWith("404", run.Error, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure());
            await Task.Delay(25);
        }
    }
}
