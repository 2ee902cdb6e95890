using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol.Client;
using SleepTime.Testing;

namespace SleepTime.Server.Tests.Mcp;

/// <summary>The MCP server at /mcp, driven by the official MCP C# client: tools, tenant scope, errors and the API key.</summary>
public sealed class McpServerTests
{
    [Fact]
    public async Task Lists_the_tools()
    {
        await using var factory = new ServerFactory();
        await using var client = await McpTestClient.ConnectAsync(factory);

        var tools = await client.ListToolsAsync();

        Assert.Equal(["add_to_context", "ask", "get_learned_context", "list_contexts", "sleep"], tools.Select(t => t.Name).Order().ToArray());
        var ask = tools.Single(t => t.Name == "ask");
        var properties = ask.JsonSchema.GetProperty("properties");
        Assert.True(properties.TryGetProperty("context_id", out _));
        Assert.True(properties.TryGetProperty("question", out _));
        Assert.True(properties.TryGetProperty("verbosity", out _));
        Assert.True(properties.TryGetProperty("max_output_tokens", out _));
    }

    [Fact]
    public async Task Ask_answers_from_the_learned_context_of_a_context_that_slept()
    {
        var testModel = new ScriptedChatClient(_ => ScriptedReply.Text("y is 6. Final answer: 6"));
        await using var factory = new ServerFactory(testModel: testModel);
        var http = factory.Client();
        await http.PostOkAsync("/api/contexts", new { id = "notes", text = "x = 2; y = 3x." });
        await http.WaitForIdleAsync("notes");
        var learned = await http.GetOkAsync("/api/contexts/notes/learned");
        await using var client = await McpTestClient.ConnectAsync(factory);

        var answer = await client.CallOkAsync("ask", new() { ["context_id"] = "notes", ["question"] = "What is y?", ["verbosity"] = 1, ["max_output_tokens"] = 200 });

        Assert.Contains("y is 6", answer.GetProperty("answer").GetString());
        Assert.Equal(learned.GetProperty("version").GetInt64(), answer.GetProperty("learned_version").GetInt64());
        Assert.Equal(1, answer.GetProperty("verbosity").GetInt32());
        Assert.True(answer.GetProperty("usage").GetProperty("total_tokens").GetInt64() >= 0);
        var call = Assert.Single(testModel.Calls);
        Assert.Contains(learned.GetProperty("text").GetString()!, string.Join("\n", call.Messages.Select(m => m.Text)));
        Assert.Equal(200, call.Options?.MaxOutputTokens);

        // The same QueryService records it: the REST API lists the query.
        var recorded = await http.GetOkAsync("/api/contexts/notes/queries");
        Assert.Equal(answer.GetProperty("query_id").GetString(), Assert.Single(recorded.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Add_to_context_then_sleep_then_get_learned_context()
    {
        // No sleep on change: the run this test sees is the one its `sleep` call triggered.
        await using var factory = new ServerFactory(settings: new() { ["SleepTime:Scheduling:Defaults:OnChange"] = "false" });
        var http = await factory.TenantClientAsync("mcp-a");
        var key = http.DefaultRequestHeaders.Authorization!.Parameter!;
        await using var client = await McpTestClient.ConnectAsync(factory, key);

        var added = await client.CallOkAsync("add_to_context", new() { ["context_id"] = "project", ["text"] = "The deploy runs on Fridays." });
        Assert.True(added.GetProperty("created").GetBoolean());
        var again = await client.CallOkAsync("add_to_context", new() { ["context_id"] = "project", ["text"] = " Rollbacks take 5 minutes." });
        Assert.False(again.GetProperty("created").GetBoolean());
        Assert.Equal(2, again.GetProperty("context").GetProperty("version").GetInt64());
        var notSlept = await client.CallToolAsync("get_learned_context", new Dictionary<string, object?> { ["context_id"] = "project" });
        Assert.True(notSlept.IsError);
        Assert.Contains("has not slept", McpTestClient.Text(notSlept));

        var run = await client.CallOkAsync("sleep", new() { ["context_id"] = "project" });
        var runId = run.GetProperty("run_id").GetString()!;
        Assert.Equal("manual", (await http.GetOkAsync($"/api/runs/{runId}")).GetProperty("trigger").GetString());
        Assert.Equal("succeeded", (await http.WaitForRunAsync(runId)).GetProperty("status").GetString());

        var learned = await client.CallOkAsync("get_learned_context", new() { ["context_id"] = "project" });
        var rest = await http.GetOkAsync("/api/contexts/project/learned");
        Assert.Equal(rest.GetProperty("version").GetInt64(), learned.GetProperty("version").GetInt64());
        Assert.Equal(rest.GetProperty("text").GetString(), learned.GetProperty("text").GetString());
        Assert.Contains("Learned: y = 6.", learned.GetProperty("text").GetString());

        var list = await client.CallOkAsync("list_contexts", []);
        Assert.Equal("project", Assert.Single(list.GetProperty("contexts").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Add_to_context_with_a_role_appends_conversation_turns_and_the_size_limit_is_the_rest_apis()
    {
        await using var factory = new ServerFactory(settings: new() { ["SleepTime:Scheduling:Defaults:OnChange"] = "false", ["SleepTime:Server:MaxContextChars"] = "60" });
        var http = factory.Client();
        await using var client = await McpTestClient.ConnectAsync(factory);

        var first = await client.CallOkAsync("add_to_context", new() { ["context_id"] = "chat", ["text"] = "I moved to Lyon.", ["role"] = "user" });
        Assert.True(first.GetProperty("created").GetBoolean());
        Assert.Equal("conversation", first.GetProperty("context").GetProperty("kind").GetString());
        await client.CallOkAsync("add_to_context", new() { ["context_id"] = "chat", ["text"] = "Noted.", ["role"] = "assistant" });
        var context = await http.GetOkAsync("/api/contexts/chat");
        Assert.Equal(["user: I moved to Lyon.", "assistant: Noted."], context.GetProperty("entries").EnumerateArray().Select(e => $"{e.GetProperty("role").GetString()}: {e.GetProperty("text").GetString()}"));

        var tooLong = new string('x', 50);
        var viaMcp = await client.CallToolAsync("add_to_context", new Dictionary<string, object?> { ["context_id"] = "chat", ["text"] = tooLong, ["role"] = "user" });
        Assert.True(viaMcp.IsError);
        var viaRest = await http.PostAsJsonAsync("/api/contexts/chat/append", new { content = new[] { new { role = "user", text = tooLong } } });
        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, viaRest.StatusCode);
        var problem = await viaRest.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(problem.GetProperty("detail").GetString()!, McpTestClient.Text(viaMcp), StringComparison.Ordinal);
        Assert.Equal(2, (await http.GetOkAsync("/api/contexts/chat")).GetProperty("entries").GetArrayLength());

        var blank = await client.CallToolAsync("add_to_context", new Dictionary<string, object?> { ["context_id"] = "chat", ["text"] = "hi", ["role"] = " " });
        Assert.True(blank.IsError);
        Assert.Contains("role must not be blank", McpTestClient.Text(blank));
    }

    [Fact]
    public async Task Tools_act_in_the_callers_tenant_only()
    {
        await using var factory = new ServerFactory();
        var a = await factory.TenantClientAsync("mcp-owner");
        await a.PostOkAsync("/api/contexts", new { id = "secret", text = "a private note" });
        var b = await factory.TenantClientAsync("mcp-other");
        await using var client = await McpTestClient.ConnectAsync(factory, b.DefaultRequestHeaders.Authorization!.Parameter!);

        var list = await client.CallOkAsync("list_contexts", []);
        Assert.Empty(list.GetProperty("contexts").EnumerateArray());
        var read = await client.CallToolAsync("get_learned_context", new Dictionary<string, object?> { ["context_id"] = "secret" });
        Assert.True(read.IsError);
        Assert.Contains("'secret' was not found", McpTestClient.Text(read));
    }

    [Fact]
    public async Task Bad_input_is_a_tool_error_that_says_why()
    {
        await using var factory = new ServerFactory();
        await factory.Client().PostOkAsync("/api/contexts", new { id = "doc", text = "some text" });
        await using var client = await McpTestClient.ConnectAsync(factory);

        var verbosity = await client.CallToolAsync("ask", new Dictionary<string, object?> { ["context_id"] = "doc", ["question"] = "q?", ["verbosity"] = 9 });
        Assert.True(verbosity.IsError);
        Assert.Contains("Verbosity level 9 is unknown", McpTestClient.Text(verbosity));

        var empty = await client.CallToolAsync("ask", new Dictionary<string, object?> { ["context_id"] = "doc", ["question"] = " " });
        Assert.True(empty.IsError);
        Assert.Contains("question must not be empty", McpTestClient.Text(empty));

        var missing = await client.CallToolAsync("sleep", new Dictionary<string, object?> { ["context_id"] = "nope" });
        Assert.True(missing.IsError);
        Assert.Contains("'nope' was not found", McpTestClient.Text(missing));

        var badId = await client.CallToolAsync("add_to_context", new Dictionary<string, object?> { ["context_id"] = "bad id/with slash", ["text"] = "x" });
        Assert.True(badId.IsError);
        Assert.Contains("Invalid id: A context id may contain only", McpTestClient.Text(badId));

        var notYet = await client.CallToolAsync("add_to_context", new Dictionary<string, object?> { ["context_id"] = "later", ["text"] = "x", ["create"] = false });
        Assert.True(notYet.IsError);
        Assert.Contains("'later' was not found", McpTestClient.Text(notYet));

        // The server is still fine after the errors.
        Assert.Single((await client.CallOkAsync("list_contexts", [])).GetProperty("contexts").EnumerateArray());
    }

    [Fact]
    public async Task Mcp_is_not_part_of_the_openapi_document()
    {
        await using var factory = new ServerFactory();
        var document = await factory.Client().GetOkAsync("/openapi/v1.json");

        Assert.DoesNotContain(document.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith("/mcp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_without_a_valid_key_is_401()
    {
        await using var factory = new ServerFactory();
        var anonymous = factory.CreateClient();
        var initialize = new
        {
            jsonrpc = "2.0",
            id = 1,
            method = "initialize",
            @params = new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = "t", version = "1" } },
        };

        using var noKey = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = JsonContent.Create(initialize) };
        noKey.Headers.Accept.ParseAdd("application/json");
        noKey.Headers.Accept.ParseAdd("text/event-stream");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(noKey)).StatusCode);

        var wrongKey = factory.Client("st_not_a_key");
        using var bad = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = JsonContent.Create(initialize) };
        bad.Headers.Accept.ParseAdd("application/json");
        bad.Headers.Accept.ParseAdd("text/event-stream");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.SendAsync(bad)).StatusCode);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => McpTestClient.ConnectAsync(factory, "st_not_a_key"));
        Assert.Contains("401", error.ToString());
    }
}
