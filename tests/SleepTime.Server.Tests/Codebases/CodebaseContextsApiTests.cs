using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SleepTime.Testing;

namespace SleepTime.Server.Tests.Codebases;

public sealed class CodebaseContextsApiTests : IAsyncLifetime
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "sleeptime-server-codebases-" + Guid.NewGuid().ToString("N"));
    private readonly ScriptedChatClient sleepModel = new();
    private readonly ScriptedChatClient testModel = new(_ => ScriptedReply.Text("Orders are placed in the route.\nFILES:\n- app/routes/orders.py"));
    private CodebaseFixture fixture = null!;
    private ServerFactory factory = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(root, "repos"));
        await File.WriteAllTextAsync(Path.Combine(root, "secret.txt"), "outside");
        fixture = await CodebaseFixture.CreateAsync(Path.Combine(root, "repos", "shop"));
        Directory.CreateSymbolicLink(Path.Combine(root, "repos", "escape"), root);
        factory = new ServerFactory(sleepModel, testModel, settings: new() { ["SleepTime:Codebases:Root"] = Path.Combine(root, "repos") });
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task A_codebase_context_sleeps_through_the_run_pipeline_answers_tasks_and_reads_only_the_diff_of_a_new_commit()
    {
        sleepModel.Then(ScriptedReply.ToolCalls(("list_files", new { path = "app/routes" })))
            .Then(ScriptedReply.RethinkAndFinish("## Where features live\n- orders: app/routes/orders.py"));
        var client = factory.Client();

        var created = await client.PostOkAsync("/api/contexts", new { id = "shop", kind = "codebase", path = "shop" });
        var runs = await client.WaitForIdleAsync("shop");

        Assert.Equal("codebase", created.GetProperty("kind").GetString());
        Assert.Equal("succeeded", Assert.Single(runs).GetProperty("status").GetString());
        Assert.Contains("app/routes/orders.py (", (string)sleepModel.Calls[1].ToolResults.Single().Result!, StringComparison.Ordinal);
        var learned = await client.GetOkAsync("/api/contexts/shop/learned");
        Assert.Equal("## Where features live\n- orders: app/routes/orders.py", learned.GetProperty("text").GetString());
        Assert.Equal("codebase-sleep", learned.GetProperty("provenance").GetProperty("prompt_id").GetString());

        var answer = await client.PostOkAsync("/api/contexts/shop/queries", new { question = "Which files must change to add discount codes?" });
        Assert.Equal("app/routes/orders.py", answer.GetProperty("final_answer").GetString());
        Assert.Equal(1, answer.GetProperty("learned_version").GetInt64());
        Assert.Contains("- orders: app/routes/orders.py", testModel.Calls[^1].Messages[0].Text, StringComparison.Ordinal);
        var baseline = await client.PostOkAsync("/api/contexts/shop/queries", new { question = "Which files?", arm = "baseline" });
        Assert.Equal(JsonValueKind.Null, baseline.GetProperty("learned_version").ValueKind);

        var next = await fixture.CommitAsync("Add a tax rate", new Dictionary<string, string?> { ["app/services/tax.py"] = "RATE = 0.2\n" });
        sleepModel.Then(ScriptedReply.RethinkAndFinish("## Where features live\n- orders: app/routes/orders.py\n- tax: app/services/tax.py"));
        var moved = await client.PostOkAsync("/api/contexts/shop/commit", new { commit = next[..10] });
        await client.WaitForIdleAsync("shop");

        Assert.Equal(2, moved.GetProperty("version").GetInt64());
        var diffPrompt = sleepModel.Calls[^1].LastUserText;
        Assert.Contains("Only these files changed:\n- app/services/tax.py (added)", diffPrompt, StringComparison.Ordinal);
        Assert.DoesNotContain("app/routes/orders.py (", diffPrompt, StringComparison.Ordinal);
        var second = await client.GetOkAsync("/api/contexts/shop/learned");
        Assert.Equal(2, second.GetProperty("version").GetInt64());
        Assert.True(second.GetProperty("provenance").GetProperty("incremental").GetBoolean());
        Assert.Equal(2, second.GetProperty("provenance").GetProperty("source_version").GetInt64());
    }

    [Theory]
    [InlineData("../secret.txt", null, "path")]
    [InlineData("/etc", null, "path")]
    [InlineData("escape", null, "path")]
    [InlineData("nowhere", null, "path")]
    [InlineData("shop", "0123456789abcdef0123456789abcdef01234567", "commit")]
    [InlineData("", null, "path")]
    public async Task Bad_codebase_input_is_a_problem_with_the_field_and_creates_nothing(string path, string? commit, string field)
    {
        var client = factory.Client();

        var response = await client.PostAsJsonAsync("/api/contexts", new { id = "bad", kind = "codebase", path, commit }, ServerFactory.Json);
        var problem = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.DoesNotContain(root, problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/contexts/bad")).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/nonexistent/sleeptime-codebases")]
    public async Task Without_a_usable_root_codebase_contexts_are_refused(string? configured)
    {
        await using var plain = new ServerFactory(sleepModel, testModel, settings: new() { ["SleepTime:Codebases:Root"] = configured });

        var response = await plain.Client().PostAsJsonAsync("/api/contexts", new { id = "shop", kind = "codebase", path = fixture.Path }, ServerFactory.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal("kind", problem.GetProperty("field").GetString());
        Assert.StartsWith("Codebase contexts are off on this server", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moving_a_context_that_is_not_a_codebase_or_to_a_missing_commit_is_refused()
    {
        sleepModel.Then(ScriptedReply.RethinkAndFinish("memory"));
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "doc", text = "A document.", schedule = new { on_change = false } });
        await client.PostOkAsync("/api/contexts", new { id = "shop", kind = "codebase", path = "shop", schedule = new { on_change = false } });

        var notCodebase = await client.PostAsJsonAsync("/api/contexts/doc/commit", new { commit = "HEAD" }, ServerFactory.Json);
        var missing = await client.PostAsJsonAsync("/api/contexts/shop/commit", new { commit = "deadbeef" }, ServerFactory.Json);
        var unknown = await client.PostAsJsonAsync("/api/contexts/none/commit", new { commit = "HEAD" }, ServerFactory.Json);

        Assert.Equal(HttpStatusCode.BadRequest, notCodebase.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("commit", (await missing.JsonAsync()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(1, (await client.GetOkAsync("/api/contexts/shop")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_repository_that_disappeared_skips_the_sleep_and_makes_a_task_a_problem_not_a_500()
    {
        var gone = await CodebaseFixture.CreateAsync(Path.Combine(root, "repos", "gone"));
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "gone", kind = "codebase", path = "gone", schedule = new { on_change = false } });
        Directory.Delete(gone.Path, recursive: true);

        var run = await client.PostOkAsync("/api/contexts/gone/runs", new { });
        var done = await client.WaitForRunAsync(run.GetProperty("id").GetString()!);
        var ask = await client.PostAsJsonAsync("/api/contexts/gone/queries", new { question = "Which files?" }, ServerFactory.Json);
        var contextOnly = await client.PostAsJsonAsync("/api/contexts/gone/queries", new { arm = "context_only" }, ServerFactory.Json);

        Assert.Equal("skipped", done.GetProperty("status").GetString());
        Assert.Equal(0, sleepModel.CallCount);
        Assert.Equal(HttpStatusCode.BadRequest, ask.StatusCode);
        Assert.Equal("codebase", (await ask.JsonAsync()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, contextOnly.StatusCode);
        Assert.Equal("arm", (await contextOnly.JsonAsync()).GetProperty("field").GetString());
    }
}
