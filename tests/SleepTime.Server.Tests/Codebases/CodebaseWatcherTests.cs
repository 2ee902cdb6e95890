using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SleepTime.Testing;

namespace SleepTime.Server.Tests.Codebases;

/// <summary>
/// The server watches the directories codebase contexts read on disk: an edit becomes a revision with only the changed
/// files, the context's schedule hears it, and the sleep reads those files. On the real clock end to end, and on a fake
/// clock pass by pass.
/// </summary>
public sealed class CodebaseWatcherTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "sleeptime-server-watch-" + Guid.NewGuid().ToString("N"));

    public CodebaseWatcherTests()
    {
        Write("notes/app/orders.py", "def place(order):\n    return order.total\n");
        Write("notes/app/users.py", "class User:\n    pass\n");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task An_edit_on_disk_makes_the_context_sleep_again_over_only_the_changed_file()
    {
        var sleepModel = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("orders: app/orders.py; users: app/users.py"));
        await using var factory = new ServerFactory(sleepModel, settings: new() { ["SleepTime:Codebases:Root"] = root, ["SleepTime:Codebases:WatchSeconds"] = "1" });
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "notes", kind = "codebase", path = "notes" });
        Assert.Equal("succeeded", Assert.Single(await client.WaitForIdleAsync("notes")).GetProperty("status").GetString());

        Write("notes/app/orders.py", "def place(order):\n    return round(order.total)\n");
        var runs = await WaitForRunsAsync(client, "notes", 2);

        Assert.All(runs, r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
        Assert.Equal("change", runs[0].GetProperty("trigger").GetString());
        Assert.Equal(2, (await client.GetOkAsync("/api/contexts/notes")).GetProperty("version").GetInt64());
        var prompt = sleepModel.Calls[^1].LastUserText;
        Assert.Contains("Only these files changed:\n- app/orders.py (modified)\n", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("users.py (", prompt, StringComparison.Ordinal);
        var learned = await client.GetOkAsync("/api/contexts/notes/learned");
        Assert.True(learned.GetProperty("provenance").GetProperty("incremental").GetBoolean());
    }

    [Fact]
    public async Task Each_period_on_the_clock_is_one_look_that_records_what_changed_since_the_last()
    {
        await using var factory = new ServerFactory(settings: new() { ["SleepTime:Codebases:Root"] = root, ["SleepTime:Codebases:WatchSeconds"] = "0" });
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "notes", kind = "codebase", path = "notes", schedule = new { on_change = false } });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var watcher = ActivatorUtilities.CreateInstance<CodebaseWatcher>(factory.Services, clock, Options.Create(new CodebaseOptions { Root = root, WatchSeconds = 30 }));
        await watcher.StartAsync(CancellationToken.None);
        await watcher.Watching.WaitAsync(TimeSpan.FromSeconds(10));
        try
        {
            Write("notes/app/orders.py", "def place(order):\n    return round(order.total)\n");
            clock.Advance(TimeSpan.FromSeconds(29));
            clock.Advance(TimeSpan.FromSeconds(1));
            await WaitForPassesAsync(watcher, 1);
            Assert.Equal(1, watcher.Passes);
            Assert.Equal(2, await VersionAsync(client));

            clock.Advance(TimeSpan.FromSeconds(30));
            await WaitForPassesAsync(watcher, 2);
            Assert.Equal(2, await VersionAsync(client));

            File.Delete(Path.Combine(root, "notes", "app", "users.py"));
            Write("notes/app/tax.py", "RATE = 0.2\n");
            clock.Advance(TimeSpan.FromSeconds(30));
            await WaitForPassesAsync(watcher, 3);
            Assert.Equal(3, await VersionAsync(client));
            var entries = (await client.GetOkAsync("/api/contexts/notes/entries?limit=10")).GetProperty("items").EnumerateArray().ToArray();
            Assert.Contains("\"app/tax.py\":", entries[^1].GetProperty("text").GetString()!, StringComparison.Ordinal);
            Assert.Contains("\"app/users.py\":null", entries[^1].GetProperty("text").GetString()!, StringComparison.Ordinal);
            Assert.DoesNotContain("orders.py", entries[^1].GetProperty("text").GetString()!, StringComparison.Ordinal);
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<long> VersionAsync(HttpClient client) => (await client.GetOkAsync("/api/contexts/notes")).GetProperty("version").GetInt64();

    private static async Task WaitForPassesAsync(CodebaseWatcher watcher, long passes)
    {
        for (var i = 0; i < 400 && watcher.Passes < passes; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(passes, watcher.Passes);
    }

    private static async Task<System.Text.Json.JsonElement[]> WaitForRunsAsync(HttpClient client, string contextId, int count)
    {
        for (var i = 0; i < 600; i++)
        {
            var runs = await client.WaitForIdleAsync(contextId);
            if (runs.Length >= count)
            {
                return runs;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Context {contextId} did not get {count} runs.");
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
