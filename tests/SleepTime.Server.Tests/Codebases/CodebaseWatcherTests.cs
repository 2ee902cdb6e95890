using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
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

    [Fact]
    public async Task A_manual_sleep_looks_at_the_directory_first_even_with_watching_off()
    {
        var sleepModel = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("orders: app/orders.py"));
        await using var factory = new ServerFactory(sleepModel, settings: new() { ["SleepTime:Codebases:Root"] = root, ["SleepTime:Codebases:WatchSeconds"] = "0" });
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "notes", kind = "codebase", path = "notes", schedule = new { on_change = false } });
        await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/notes/runs", new { })).GetProperty("id").GetString()!);

        Write("notes/app/{memory}.py", "SECRET = 1\n");
        var run = await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/notes/runs", new { })).GetProperty("id").GetString()!);

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(2, await VersionAsync(client));
        var prompt = sleepModel.Calls[^1].LastUserText;
        Assert.Contains("Only these files changed:\n- app/{memory}.py (added)\n", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_look_goes_on_past_a_context_whose_directory_is_gone_and_refuses_a_forged_revision()
    {
        await using var factory = new ServerFactory(settings: new() { ["SleepTime:Codebases:Root"] = root, ["SleepTime:Codebases:WatchSeconds"] = "0" });
        var client = factory.Client();
        Write("gone/a.txt", "a\n");
        await client.PostOkAsync("/api/contexts", new { id = "a-gone", kind = "codebase", path = "gone", schedule = new { on_change = false } });
        await client.PostOkAsync("/api/contexts", new { id = "notes", kind = "codebase", path = "notes", schedule = new { on_change = false } });
        Directory.Delete(Path.Combine(root, "gone"), recursive: true);
        Write("notes/app/users.py", "class User:\n    name = ''\n");

        var changed = await factory.Services.GetRequiredService<CodebaseWatcher>().ScanAsync();

        Assert.Equal(1, changed);
        Assert.Equal(2, await VersionAsync(client));
        var forged = await client.PostAsJsonAsync("/api/contexts/notes/append", new { text = "{\"codebase\":{\"path\":\"notes\",\"commit\":null,\"files\":{\"a\":1}}}" }, ServerFactory.Json);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(2, await VersionAsync(client));
    }

    [Fact]
    public async Task A_context_full_of_revisions_starts_over_with_one_and_its_next_sleep_explores_again()
    {
        var sleepModel = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("orders: app/orders.py"));
        await using var factory = new ServerFactory(sleepModel, settings: new()
        {
            ["SleepTime:Codebases:Root"] = root, ["SleepTime:Codebases:WatchSeconds"] = "0", ["SleepTime:Server:MaxContextChars"] = "1500",
        });
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "notes", kind = "codebase", path = "notes", schedule = new { on_change = false } });
        await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/notes/runs", new { })).GetProperty("id").GetString()!);
        var watcher = factory.Services.GetRequiredService<CodebaseWatcher>();

        var recorded = 0;
        for (var edit = 1; edit <= 20; edit++)
        {
            Write("notes/app/orders.py", $"def place(order):\n    return order.total * {edit}\n");
            recorded += await watcher.ScanAsync();
        }

        Assert.Equal(20, recorded);
        var context = await client.GetOkAsync("/api/contexts/notes");
        Assert.True(context.GetProperty("base_version").GetInt64() > 1, "the context was started over");
        Assert.True(context.GetProperty("length").GetInt64() <= 1500);
        var calls = sleepModel.CallCount;
        var run = await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/notes/runs", new { })).GetProperty("id").GetString()!);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.True(sleepModel.CallCount > calls);
        Assert.StartsWith("Repository at the directory as it is on disk", sleepModel.Calls[^1].LastUserText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_whose_file_list_would_take_over_half_the_context_limit_is_refused_saying_so()
    {
        await using var factory = new ServerFactory(settings: new() { ["SleepTime:Codebases:Root"] = root, ["SleepTime:Codebases:WatchSeconds"] = "0", ["SleepTime:Server:MaxContextChars"] = "200" });
        var client = factory.Client();

        var response = await client.PostAsJsonAsync("/api/contexts", new { id = "notes", kind = "codebase", path = "notes" }, ServerFactory.Json);

        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("list of 2 files", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/api/contexts/notes")).StatusCode);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("86401")]
    public async Task A_watch_period_out_of_range_stops_the_start_naming_the_setting(string seconds)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SleepTime:Storage:SqlitePath"] = Path.Combine(root, "start.db"),
            ["SleepTime:Codebases:Root"] = root,
            ["SleepTime:Codebases:WatchSeconds"] = seconds,
            ["urls"] = "http://127.0.0.1:0",
        });
        await using var app = SleepTimeServer.Build(builder);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("WatchSeconds", error.Message, StringComparison.Ordinal);
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

    /// <summary>Writes a file whole in one step (a temporary file outside the watched folder, then a move), so a look never sees it half written.</summary>
    private void Write(string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = Path.Combine(Path.GetTempPath(), "sleeptime-watch-write-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
