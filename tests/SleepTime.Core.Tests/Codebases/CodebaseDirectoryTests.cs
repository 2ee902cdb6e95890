using System.Text.Json;
using SleepTime.Testing;

namespace SleepTime.Tests.Codebases;

/// <summary>
/// A codebase context over a plain directory (no git): its revisions carry the files' hashes, a refresh records what
/// changed on disk, and the next sleep reads only the changed files instead of skipping or exploring everything again.
/// </summary>
public sealed class CodebaseDirectoryTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "sleeptime-directory-" + Guid.NewGuid().ToString("N"));

    public CodebaseDirectoryTests()
    {
        Write("app/orders.py", "def place(order):\n    return order.total\n");
        Write("app/users.py", "class User:\n    pass\n");
        Write("README.md", "# Shop\n");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Edits_on_disk_make_the_next_sleep_read_only_the_changed_files()
    {
        var store = new InMemoryContextStore();
        var model = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("orders: app/orders.py; users: app/users.py"));
        var sleeper = new CodebaseSleeper(store, store, new CodebaseSleep(model));
        await sleeper.CreateAsync(folder, id: "shop");
        var first = await sleeper.SleepAsync("shop");
        Assert.True(first.Sleep.Succeeded, first.Sleep.Error);
        Assert.Equal(["explore"], first.Stages);

        var unchanged = await sleeper.SleepAsync("shop");
        Assert.Equal(SleepStatus.Skipped, unchanged.Sleep.Status);
        Assert.Equal(1, model.CallCount);

        Write("app/orders.py", "def place(order):\n    return round(order.total)\n");
        Write("app/tax.py", "RATE = 0.2\n");
        File.Delete(Path.Combine(folder, "README.md"));
        model.Then(ScriptedReply.ToolCalls(("read_file", new { path = "app/tax.py" })))
            .Then(ScriptedReply.RethinkAndFinish("orders (rounded): app/orders.py; users: app/users.py; tax rate: app/tax.py"));

        var second = await sleeper.SleepAsync("shop");

        Assert.True(second.Sleep.Succeeded, second.Sleep.Error);
        Assert.Equal(["changes"], second.Stages);
        Assert.Equal([new CodebaseAccess("read", "app/tax.py")], second.Reads);
        var prompt = model.Calls[1].LastUserText;
        Assert.Contains("- README.md (removed)\n- app/orders.py (modified)\n- app/tax.py (added)", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("users.py", prompt.Replace("users: app/users.py", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("orders: app/orders.py; users: app/users.py", prompt, StringComparison.Ordinal);
        var learned = await store.GetCurrentAsync("shop");
        Assert.Equal((2, true), (learned!.Version, learned.Provenance.Incremental));

        // The refresh stored only what changed; folded, the revisions give the directory as it is.
        var context = (await store.GetAsync("shop"))!;
        Assert.Equal(context.Version, learned.Provenance.SourceVersion);
        var files = JsonDocument.Parse(context.Entries[^1].Text).RootElement.GetProperty("codebase").GetProperty("files");
        Assert.Equal(["README.md", "app/orders.py", "app/tax.py"], files.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, files.GetProperty("README.md").ValueKind);
        var onDisk = await CodebaseManifest.ReadAsync(await Codebase.OpenAsync(folder));
        Assert.Equal(onDisk.Files.OrderBy(f => f.Key), CodebaseContext.ManifestAt(context)!.Files.OrderBy(f => f.Key));
        Assert.Equal(["app/orders.py", "app/tax.py", "app/users.py"], onDisk.Files.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Rewriting_a_file_with_the_same_bytes_records_nothing_and_a_commit_context_is_never_refreshed()
    {
        var store = new InMemoryContextStore();
        var sleeper = new CodebaseSleeper(store, store, new CodebaseSleep(new ScriptedChatClient()));
        var created = await sleeper.CreateAsync(folder, id: "shop");
        File.SetLastWriteTimeUtc(Path.Combine(folder, "app/users.py"), DateTime.UtcNow.AddMinutes(5));
        Write("app/users.py", "class User:\n    pass\n");

        Assert.Null(await sleeper.RefreshAsync("shop"));
        Assert.Equal(created.Version, (await store.GetAsync("shop"))!.Version);

        Write("app/users.py", "class User:\n    name = ''\n");
        var refreshed = await sleeper.RefreshAsync("shop");
        Assert.Equal(created.Version + 1, refreshed!.Version);
        Assert.Null(await sleeper.RefreshAsync("shop"));

        // A file over the read limit is known by its size alone.
        var big = new string('x', (int)CodebaseLimits.Default.MaxFileBytes + 1);
        Write("data/dump.txt", big);
        Assert.NotNull(await sleeper.RefreshAsync("shop"));
        Assert.Equal("size:" + big.Length, CodebaseContext.ManifestAt((await store.GetAsync("shop"))!)!.Files["data/dump.txt"]);
        Write("data/dump.txt", new string('y', big.Length));
        Assert.Null(await sleeper.RefreshAsync("shop"));

        var fixture = await CodebaseFixture.CreateAsync(Path.Combine(folder, "..", Path.GetFileName(folder) + "-repo"));
        try
        {
            await sleeper.CreateAsync(fixture.Path, fixture.BaseCommit, id: "repo");
            await File.AppendAllTextAsync(Path.Combine(fixture.Path, "app", "routes", "orders.py"), "# edited on disk\n");
            Assert.Null(await sleeper.RefreshAsync("repo"));
        }
        finally
        {
            Directory.Delete(fixture.Path, recursive: true);
        }
    }

    [Fact]
    public async Task A_directory_context_recorded_before_manifests_explores_again_once_then_reads_changes()
    {
        var store = new InMemoryContextStore();
        var model = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("orders: app/orders.py"));
        var sleeper = new CodebaseSleeper(store, store, new CodebaseSleep(model));
        await store.CreateAsync(ContextKind.Codebase, [CodebaseContext.Revision(new CodebaseRevision(folder, null))], "old");
        Assert.Null(CodebaseContext.ManifestAt((await store.GetAsync("old"))!));
        var first = await store.GetAsync("old");
        var legacy = await new CodebaseSleep(model).RunAsync(await CodebaseContext.SleepInputAsync(first!, null, CodebaseRoot.Anywhere()), null);
        Assert.True(await store.TryCommitAsync(legacy.Sleep.LearnedContext!, null));

        var revised = await sleeper.SleepAsync("old");
        Assert.True(revised.Sleep.Succeeded, revised.Sleep.Error);
        Assert.Equal(["explore"], revised.Stages);
        Assert.NotNull(CodebaseContext.ManifestAt((await store.GetAsync("old"))!));

        Write("app/users.py", "class User:\n    name = ''\n");
        var changed = await sleeper.SleepAsync("old");
        Assert.Equal(["changes"], changed.Stages);
        Assert.Contains("- app/users.py (modified)", model.Calls[^1].LastUserText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fifo_in_the_directory_never_blocks_a_look_a_read_or_a_search()
    {
        var fifo = Path.Combine(folder, "app", "pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        Write("app/empty.py", string.Empty);
        var codebase = await Codebase.OpenAsync(folder);

        var manifest = await CodebaseManifest.ReadAsync(codebase).WaitAsync(TimeSpan.FromSeconds(20));
        var read = await codebase.ReadAsync("app/pipe").WaitAsync(TimeSpan.FromSeconds(20));
        var (hits, _) = await codebase.SearchAsync("User").WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("empty", manifest.Files["app/pipe"]);
        Assert.Equal(manifest.Files["app/pipe"], manifest.Files["app/empty.py"]);
        Assert.Equal(string.Empty, read.Text);
        Assert.Equal("app/users.py", Assert.Single(hits).Path);
    }

    [Fact]
    public void A_manifest_lists_what_was_added_modified_and_removed_and_its_delta_holds_only_those()
    {
        var before = CodebaseManifest.Of([new("a", "1"), new("b", "2"), new("c", "3")]);
        var after = CodebaseManifest.Of([new("a", "1"), new("b", "9"), new("d", "4")]);

        Assert.Equal([new CodebaseChange("modified", "b", ""), new CodebaseChange("removed", "c", ""), new CodebaseChange("added", "d", "")], after.ChangesSince(before));
        Assert.Equal([new KeyValuePair<string, string?>("b", "9"), new("c", null), new("d", "4")], after.DeltaFrom(before).OrderBy(d => d.Key));
        Assert.Empty(after.ChangesSince(after));
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
