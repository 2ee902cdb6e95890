using System.Text.Json;

namespace SleepTime.Cli.Tests;

/// <summary>The thin client commands against a real server in this process: every resource they reach, read back.</summary>
public sealed class ServerCommandsTests : IAsyncLifetime
{
    private CliServer server = null!;

    public async Task InitializeAsync() => server = await CliServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_conversation_context_is_created_with_turns_and_grows_by_appended_turns()
    {
        var created = await server.JsonAsync("context", "create", "--id", "chat", "--turn", "user=I moved to Lyon in May.", "--turn", "assistant=Noted: Lyon since May.");
        Assert.Equal("conversation", created.GetProperty("kind").GetString());
        Assert.Equal(2, created.GetProperty("turns").GetInt64());

        var appended = await server.JsonAsync("context", "append", "chat", "--turn", "user=My sister lives in Lille = 2 hours away.");
        Assert.Equal(3, appended.GetProperty("turns").GetInt64());

        var context = await server.JsonAsync("context", "get", "chat");
        var entries = context.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("role").GetString(), e.GetProperty("text").GetString())).ToList();
        Assert.Equal([("user", "I moved to Lyon in May."), ("assistant", "Noted: Lyon since May."), ("user", "My sister lives in Lille = 2 hours away.")], entries);
    }

    [Fact]
    public async Task A_turn_that_is_not_role_equals_text_is_refused_before_anything_is_sent()
    {
        var run = await server.RunAsync("context", "create", "--id", "bad", "--turn", "no role here");

        Assert.NotEqual(0, run.Exit);
        Assert.Contains("role=text", run.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, (await server.RunAsync("context", "get", "bad")).Exit);
    }

    [Fact]
    public async Task Json_output_is_indented_and_not_escaped()
    {
        var run = await server.RunAsync("context", "create", "--id", "doc", "A <b>bold</b> claim & a + sign: café.");

        Assert.Equal(0, run.Exit);
        Assert.Contains("+00:00", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", run.Output, StringComparison.Ordinal);
        Assert.Contains("\n  \"id\": \"doc\"", run.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var shown = await server.RunAsync("context", "get", "doc");
        Assert.Contains("A <b>bold</b> claim & a + sign: café.", shown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Learned_history_lists_every_version_and_diff_shows_what_changed()
    {
        await server.JsonAsync("context", "create", "--id", "facts", "The tram leaves at 8.");
        await server.WaitForLearnedVersionAsync("facts", 1);
        await server.JsonAsync("context", "append", "facts", " The bus leaves at 9.");
        await server.WaitForLearnedVersionAsync("facts", 2);

        var current = await server.JsonAsync("learned", "show", "facts");
        Assert.Equal(2, current.GetProperty("version").GetInt64());
        var first = await server.JsonAsync("learned", "show", "facts", "--version", "1");
        Assert.Equal(1, first.GetProperty("version").GetInt64());

        var history = await server.JsonAsync("learned", "history", "facts");
        Assert.Equal([2L, 1L], history.EnumerateArray().Select(v => v.GetProperty("version").GetInt64()));

        var diff = await server.JsonAsync("learned", "diff", "facts", "--from", "1", "--to", "2");
        var lines = diff.GetProperty("lines").EnumerateArray().Select(l => (Op: l.GetProperty("op").GetString(), Text: l.GetProperty("text").GetString()!)).ToList();
        var older = first.GetProperty("text").GetString()!;
        var newer = current.GetProperty("text").GetString()!;
        Assert.NotEqual(older, newer);
        Assert.Contains(lines, l => l.Op != " " && older.Contains(l.Text, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Op != " " && newer.Contains(l.Text, StringComparison.Ordinal));

        var provenance = await server.RunAsync("learned", "provenance", "facts", "2");
        Assert.Equal(0, provenance.Exit);
    }

    [Fact]
    public async Task Usage_shows_the_tenant_and_one_context_with_their_sleep_tokens()
    {
        await server.JsonAsync("context", "create", "--id", "counted", "Twelve trays of 24 rolls.");
        await server.WaitForLearnedVersionAsync("counted", 1);

        var context = await server.JsonAsync("usage", "--context", "counted");
        Assert.Equal("context:counted", context.GetProperty("scope").GetString());
        Assert.True(context.GetProperty("sleep_tokens").GetProperty("total_tokens").GetInt64() > 0, context.ToString());
        Assert.Equal(1, context.GetProperty("sleep_runs").GetInt64());

        var tenant = await server.JsonAsync("usage");
        Assert.Equal("tenant", tenant.GetProperty("scope").GetString());
        Assert.True(tenant.GetProperty("sleep_tokens").GetProperty("total_tokens").GetInt64() >= context.GetProperty("sleep_tokens").GetProperty("total_tokens").GetInt64());

        var unknown = await server.RunAsync("usage", "--context", "nope");
        Assert.Equal(1, unknown.Exit);
        Assert.StartsWith("404", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_set_changes_only_the_fields_given_and_get_reads_them_back()
    {
        await server.JsonAsync("context", "create", "--id", "planned", "--kind", "conversation", "--turn", "user=hello");

        var set = await server.JsonAsync("schedule", "set", "planned", "--every-turns", "3", "--idle-seconds", "600", "--cron", "0 0 3 * * ?", "--variant", "math");
        Assert.Equal(3, set.GetProperty("every_turns").GetInt32());

        var read = await server.JsonAsync("schedule", "get", "planned");
        Assert.Equal(3, read.GetProperty("every_turns").GetInt32());
        Assert.Equal(600, read.GetProperty("idle_seconds").GetDouble());
        Assert.Equal("0 0 3 * * ?", read.GetProperty("cron").GetString());
        Assert.Equal("math", read.GetProperty("variant").GetString());

        await server.JsonAsync("schedule", "set", "planned", "--json", """{"daily_token_cap": 5000}""", "--unset", "cron");
        var after = await server.JsonAsync("schedule", "get", "planned");
        Assert.Equal(5000, after.GetProperty("daily_token_cap").GetInt64());
        Assert.Equal(3, after.GetProperty("every_turns").GetInt32());
        Assert.True(!after.TryGetProperty("cron", out var cron) || cron.ValueKind == JsonValueKind.Null, after.ToString());

        var invalid = await server.RunAsync("schedule", "set", "planned", "--debounce-seconds", "-1");
        Assert.Equal(1, invalid.Exit);
        Assert.Contains("debounce_seconds", invalid.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_filter_by_kind_and_status_and_show_one()
    {
        await server.JsonAsync("context", "create", "--id", "ran", "One fact.");
        await server.WaitForLearnedVersionAsync("ran", 1);

        var runs = await server.JsonAsync("runs", "--kind", "context", "--status", "succeeded", "--limit", "10");
        var run = Assert.Single(ItemsOf(runs), r => r.GetProperty("sleeper_id").GetString() == "ran");
        var id = run.GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await server.JsonAsync("runs", "get", id)).GetProperty("status").GetString());
        Assert.Empty(ItemsOf(await server.JsonAsync("runs", "--kind", "agent")));

        var final = await server.RunAsync("runs", "cancel", id);
        Assert.Equal(1, final.Exit);
        Assert.StartsWith("409", final.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_key_says_which_option_to_pass()
    {
        var run = await CliRun.InvokeAsync(["usage", "--server", server.Url, "--key", "st_wrong"]);

        Assert.Equal(1, run.Exit);
        Assert.StartsWith("401", run.Error, StringComparison.Ordinal);
        Assert.Contains("pass --key or set SLEEPTIME_API_KEY", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    private static IEnumerable<JsonElement> ItemsOf(JsonElement list) =>
        (list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("items")).EnumerateArray().ToList();
}
