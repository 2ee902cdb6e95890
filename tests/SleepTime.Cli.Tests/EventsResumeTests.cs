using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SleepTime.Cli.Tests;

/// <summary>
/// <c>events tail</c> against a scripted SSE endpoint: heartbeat comments are skipped, and a stream that ends is
/// resumed with the last event id in <c>Last-Event-ID</c>.
/// </summary>
public sealed class EventsResumeTests
{
    [Fact]
    public async Task A_stream_that_ends_is_resumed_after_the_last_event_id()
    {
        var resumedFrom = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        var connections = 0;
        app.MapGet("/api/events", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/event-stream";
            var first = Interlocked.Increment(ref connections) == 1;
            resumedFrom.Enqueue(http.Request.Headers["Last-Event-ID"].ToString());
            await http.Response.WriteAsync("event: ready\ndata: {}\n\n");
            if (first)
            {
                await http.Response.WriteAsync("id: 5\nevent: run.queued\ndata: {\"id\":\"run_1\",\"at\":\"2026-01-01T00:00:00+00:00\"}\n\n: heartbeat\n\n");
                return; // the stream ends: the client reconnects with the last id it saw

            }

            await http.Response.WriteAsync("id: 6\nevent: run.succeeded\ndata: {\"id\":\"run_1\"}\n\n");
            await http.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await app.StartAsync();

        var output = new SharedWriter();
        var error = new SharedWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var tail = CliRun.InvokeAsync(["events", "tail", "--server", app.Urls.First(), "--key", "k"], output, error, stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!output.ToString().Contains("run.succeeded", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline && !tail.IsCompleted, $"no resumed event: {output} / {error}");
            await Task.Delay(25);
        }

        await stop.CancelAsync();
        Assert.Equal(0, await tail);

        Assert.Equal(["", "5"], resumedFrom);
        var events = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["run.queued", "run.succeeded"], events.Select(e => e.GetProperty("event").GetString()));
        Assert.Equal(["5", "6"], events.Select(e => e.GetProperty("id").GetString()));
        Assert.Equal("run_1", events[0].GetProperty("data").GetProperty("id").GetString());
        Assert.Contains("+00:00", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("after event 5", error.ToString(), StringComparison.Ordinal);
    }
}
