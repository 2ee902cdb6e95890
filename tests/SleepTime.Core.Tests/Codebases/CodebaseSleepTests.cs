using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.Tests.Codebases;

public sealed class CodebaseSleepTests
{
    [Fact]
    public async Task A_scripted_model_studies_the_related_changes_one_by_one_explores_and_commits_memory()
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var store = new InMemoryContextStore();
        var pulls = dir.Fixture.PullRequests;
        var model = new ScriptedChatClient();
        for (var i = 0; i < pulls.Count; i++)
        {
            model.Then(ScriptedReply.RethinkAndFinish($"memory after change {i + 1}"));
        }

        const string Final = "## Where features live\n- orders: app/routes/orders.py, app/services/pricing.py";
        model.Then(ScriptedReply.ToolCalls(("list_files", new { path = "app/routes" })))
            .Then(ScriptedReply.ToolCalls(("read_file", new { path = "app/routes/orders.py" }), ("search_code", new { pattern = "def order_total" })))
            .Then(ScriptedReply.RethinkAndFinish(Final));
        var sleeper = new CodebaseSleeper(store, store, new CodebaseSleep(model));
        var context = await sleeper.CreateAsync(dir.Repository, dir.Fixture.BaseCommit, pulls, "shop");

        var result = await sleeper.SleepAsync("shop");

        Assert.True(result.Sleep.Succeeded, result.Sleep.Error);
        Assert.Equal(["document 1", "document 2", "document 3", "document 4", "explore"], result.Stages);
        var learned = await store.GetCurrentAsync("shop");
        Assert.Equal(Final, Assert.Single(learned!.Blocks).Value);
        Assert.Equal(context.Version, learned.Provenance.SourceVersion);
        Assert.False(learned.Provenance.Incremental);

        var calls = model.Calls;
        for (var i = 0; i < pulls.Count; i++)
        {
            var shown = calls[i].LastUserText;
            Assert.Contains($"Related change {i + 1} of {pulls.Count}", shown, StringComparison.Ordinal);
            Assert.Contains("Title: " + pulls[i].Title, shown, StringComparison.Ordinal);
            Assert.All(pulls.Where((_, j) => j != i), other => Assert.DoesNotContain("Title: " + other.Title, shown, StringComparison.Ordinal));
            Assert.Contains(i == 0 ? "(empty: nothing learned yet)" : $"memory after change {i}", shown, StringComparison.Ordinal);
        }

        Assert.Contains("- app/models/user.py (added)", calls[0].LastUserText, StringComparison.Ordinal);
        Assert.Contains("- app/routes/orders.py (modified)", calls[3].LastUserText, StringComparison.Ordinal);
        Assert.Contains("+    sender = \"shop@example.invalid\"", calls[3].LastUserText, StringComparison.Ordinal);
        var toolResults = calls[^1].ToolResults.Select(r => (string)r.Result!).ToList();
        Assert.Contains(toolResults, r => r.StartsWith("app/routes/orders.py (lines 1-", StringComparison.Ordinal));
        Assert.Contains(toolResults, r => r == "app/services/pricing.py:1: def order_total(order):");
        Assert.Equal(3, result.ToolCalls);
    }

    [Fact]
    public async Task A_new_commit_makes_a_sleep_that_reads_only_the_diff_since_the_watermark()
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var store = new InMemoryContextStore();
        var model = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("orders total in app/services/pricing.py"));
        var sleeper = new CodebaseSleeper(store, store, new CodebaseSleep(model));
        await sleeper.CreateAsync(dir.Repository, dir.Fixture.BaseCommit, id: "shop");
        Assert.True((await sleeper.SleepAsync("shop")).Sleep.Succeeded);

        var next = await dir.Fixture.CommitAsync("Round totals", new Dictionary<string, string?>
        {
            ["app/services/pricing.py"] = "def order_total(order):\n    return round(sum(p.price_cents * q for p, q in order.lines))\n",
            ["app/services/tax.py"] = "RATE = 0.2\n",
        });
        var moved = await sleeper.MoveToAsync("shop", next[..10]);
        model.Then(ScriptedReply.RethinkAndFinish("orders total (rounded) in app/services/pricing.py; tax rate in app/services/tax.py"));

        var result = await sleeper.SleepAsync("shop");

        Assert.True(result.Sleep.Succeeded, result.Sleep.Error);
        Assert.Equal(["diff"], result.Stages);
        var read = Assert.Single(result.Reads);
        Assert.Equal(new CodebaseAccess("diff", dir.Fixture.BaseCommit + ".." + next), read);
        var prompt = model.Calls[^1].LastUserText;
        Assert.Contains("- app/services/pricing.py (modified)\n- app/services/tax.py (added)", prompt, StringComparison.Ordinal);
        Assert.Contains("+    return round(", prompt, StringComparison.Ordinal);
        Assert.Contains("orders total in app/services/pricing.py", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("class User", prompt, StringComparison.Ordinal);
        var learned = await store.GetCurrentAsync("shop");
        Assert.Equal(2, learned!.Version);
        Assert.True(learned.Provenance.Incremental);
        Assert.Equal(moved.Version, learned.Provenance.SourceVersion);
    }

    [Fact]
    public async Task Nothing_new_is_skipped_without_a_model_call()
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var store = new InMemoryContextStore();
        var model = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("memory"));
        var sleeper = new CodebaseSleeper(store, store, new CodebaseSleep(model));
        await sleeper.CreateAsync(dir.Repository, dir.Fixture.BaseCommit, id: "shop");
        await sleeper.SleepAsync("shop");

        var again = await sleeper.SleepAsync("shop");

        Assert.Equal(SleepStatus.Skipped, again.Sleep.Status);
        Assert.Equal(1, model.CallCount);
    }

    [Fact]
    public async Task A_spent_tool_budget_ends_exploration_and_keeps_the_last_complete_memory()
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var store = new InMemoryContextStore();
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("rethink_memory", new { new_memory = "## Areas\n- app/routes: one module per resource" }), ("list_files", new { path = "app" })),
            ScriptedReply.ToolCalls(("read_file", new { path = "app/main.py" })),
            ScriptedReply.ToolCalls(("read_file", new { path = "app/config.py" })),
            ScriptedReply.ToolCalls(("read_file", new { path = "app/config.py" })));
        var sleeper = new CodebaseSleeper(store, store, new CodebaseSleep(model));
        await sleeper.CreateAsync(dir.Repository, dir.Fixture.BaseCommit, id: "shop");

        var result = await sleeper.SleepAsync("shop", new CodebaseSleepOptions { MaxToolCalls = 2 });

        Assert.True(result.Sleep.Succeeded, result.Sleep.Error);
        Assert.True(result.ExplorationEnded);
        Assert.Equal(4, model.CallCount);
        Assert.Contains(model.Calls[^1].ToolResults, r => ((string)r.Result!).StartsWith("Error: the budget of 2 tool calls is spent", StringComparison.Ordinal));
        Assert.Equal("## Areas\n- app/routes: one module per resource", (await store.GetCurrentAsync("shop"))!.Blocks[0].Value);
    }

    [Fact]
    public async Task A_spent_exploration_token_budget_ends_reading_and_keeps_what_was_written()
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var store = new InMemoryContextStore();
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCallsWithUsage(500, 20, ("rethink_memory", new { new_memory = "first findings" }), ("list_files", null)),
            ScriptedReply.ToolCallsWithUsage(500, 20, ("read_file", new { path = "app/main.py" })),
            ScriptedReply.Text("done"));
        var sleeper = new CodebaseSleeper(store, store, new CodebaseSleep(model));
        await sleeper.CreateAsync(dir.Repository, dir.Fixture.BaseCommit, id: "shop");

        var result = await sleeper.SleepAsync("shop", new CodebaseSleepOptions { MaxExplorationTokens = 900 });

        Assert.True(result.Sleep.Succeeded, result.Sleep.Error);
        Assert.True(result.ExplorationEnded);
        Assert.StartsWith("Error: the exploration budget of 900 tokens is spent", (string)model.Calls[2].ToolResults.Last().Result!, StringComparison.Ordinal);
        Assert.Equal("first findings", (await store.GetCurrentAsync("shop"))!.Blocks[0].Value);
    }

    [Fact]
    public async Task Crossing_the_hard_token_cap_fails_the_sleep_and_commits_nothing()
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var store = new InMemoryContextStore();
        var model = new ScriptedChatClient(ScriptedReply.ToolCallsWithUsage(5_000, 20, ("rethink_memory", new { new_memory = "half" })));
        var sleeper = new CodebaseSleeper(store, store, new CodebaseSleep(model));
        await sleeper.CreateAsync(dir.Repository, dir.Fixture.BaseCommit, id: "shop");

        var result = await sleeper.SleepAsync("shop", new CodebaseSleepOptions { MaxTotalTokens = 1_000 });

        Assert.Equal(SleepFailureReason.OverBudget, result.Sleep.FailureReason);
        Assert.Null(await store.GetCurrentAsync("shop"));
    }

    [Fact]
    public async Task Creating_a_context_checks_the_repository_and_resolves_the_commit()
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var store = new InMemoryContextStore();
        var sleeper = new CodebaseSleeper(store, store, new CodebaseSleep(new ScriptedChatClient()), CodebaseRoot.Under(dir.Root));

        var created = await sleeper.CreateAsync("repo", dir.Fixture.BaseCommit[..8], id: "shop");
        var outside = await Assert.ThrowsAsync<CodebasePathException>(() => sleeper.CreateAsync("../" + Path.GetFileName(dir.Root), null));
        var missing = await Assert.ThrowsAsync<CodebaseException>(() => sleeper.CreateAsync("repo", "deadbeef"));

        Assert.Equal(ContextKind.Codebase, created.Kind);
        Assert.Equal(new CodebaseRevision("repo", dir.Fixture.BaseCommit), CodebaseContext.RevisionAt(created));
        Assert.Contains("without '..'", outside.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
    }
}
