using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace SleepTime.Server.Tests;

/// <summary>Tenant isolation and bad input on the agents API: 404 for other tenants' ids, 4xx problem details, never a 500 or a half-written block.</summary>
public sealed class AgentApiSafetyTests
{
    [Fact]
    public async Task Another_tenants_agents_blocks_runs_and_change_sets_are_not_found()
    {
        var sleep = SleepModels.Editing(("memory_insert", new { label = "human", text = "Secret" }), ("memory_finish_edits", null));
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var owner = factory.Client();
        var (agentId, blockId) = await owner.CreateAgentAsync();
        var sleeperId = await owner.CreateSleeperAsync(agentId, new { every_turns = 0 });
        await owner.SendAsync(agentId, "secret");
        var run = await owner.WaitForSleepTimeRunAsync((await owner.TriggerAsync(sleeperId)).GetProperty("id").GetString()!);
        var changeSetId = run.GetProperty("change_set_id").GetString()!;

        var other = await factory.TenantClientAsync("other");
        var (otherAgentId, _) = await other.CreateAgentAsync();
        foreach (var url in new[]
        {
            $"/api/agents/{agentId}", $"/api/agents/{agentId}/messages", $"/api/agents/{agentId}/sleeptime-runs", $"/api/agents/{agentId}/changes",
            $"/api/agents/{agentId}/events", $"/api/agents/{agentId}/archival", $"/api/blocks/{blockId}", $"/api/sleeptime-agents/{sleeperId}",
            $"/api/sleeptime-runs/{run.GetProperty("id").GetString()}", $"/api/changes/{changeSetId}",
        })
        {
            var response = await other.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url}: {(int)response.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsync($"/api/agents/{otherAgentId}/blocks/{blockId}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/blocks/{blockId}", new { value = "stolen", expected_version = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/agents/{agentId}/messages", new { message = "hi" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/changes/{changeSetId}/revert", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/sleeptime-agents/{sleeperId}/runs", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/agents/{agentId}")).StatusCode);
        Assert.Equal([otherAgentId], (await other.GetOkAsync("/api/agents")).EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.Equal("Name: Ada\nLikes tea\nSecret", await owner.BlockValueAsync(blockId));
    }

    [Fact]
    public async Task Bad_input_is_a_4xx_problem_and_changes_nothing()
    {
        await using var factory = new ServerFactory(testModel: SleepModels.Primary(), settings: new() { ["SleepTime:Agents:MaxMessageChars"] = "100" });
        var client = factory.Client();
        var (agentId, blockId) = await client.CreateAgentAsync();

        var cases = new (HttpMethod Method, string Url, string? Json, HttpStatusCode Expected)[]
        {
            (HttpMethod.Post, "/api/agents", "{}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/api/agents", "{\"name\":\"a\",\"blocks\":[{\"label\":\"ok\"},{\"label\":\"9bad label\"}]}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/api/agents", "{\"name\":\"a\",\"block_ids\":[\"block-missing\"]}", HttpStatusCode.NotFound),
            (HttpMethod.Post, "/api/agents", "{\"name\": ", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/api/agents", "{\"name\": 5}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/api/blocks", "{\"label\":\"x\",\"value\":\"toolong\",\"limit\":3}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/api/blocks", "{\"label\":\"x\",\"limit\":0}", HttpStatusCode.BadRequest),
            (HttpMethod.Put, $"/api/blocks/{blockId}", "{\"value\":\"x\"}", HttpStatusCode.BadRequest),
            (HttpMethod.Put, $"/api/blocks/{blockId}", "{\"expected_version\":1}", HttpStatusCode.BadRequest),
            (HttpMethod.Put, $"/api/blocks/{blockId}", "{\"value\":\"x\",\"expected_version\":7}", HttpStatusCode.Conflict),
            (HttpMethod.Put, $"/api/blocks/{blockId}", "{\"value\":\"" + new string('x', 2001) + "\",\"expected_version\":1}", HttpStatusCode.BadRequest),
            (HttpMethod.Put, "/api/blocks/block-missing", "{\"value\":\"x\",\"expected_version\":1}", HttpStatusCode.NotFound),
            (HttpMethod.Post, $"/api/agents/{agentId}/messages", "{\"message\":\"  \"}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/api/agents/{agentId}/messages", "{\"message\":\"" + new string('x', 101) + "\"}", HttpStatusCode.RequestEntityTooLarge),
            (HttpMethod.Post, $"/api/agents/{agentId}/messages/stream", "{}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/api/agents/agent-missing/messages", "{\"message\":\"hi\"}", HttpStatusCode.NotFound),
            (HttpMethod.Get, $"/api/agents/{agentId}/messages/search", null, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/api/agents/{agentId}/messages?limit=0", null, HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/api/agents/{agentId}/sleeptime-agents", "{\"every_turns\":-1}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/api/agents/{agentId}/sleeptime-agents", "{\"idle_after_seconds\":-5}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/api/agents/{agentId}/sleeptime-agents", "{\"transcript_tokens\":-1}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/api/agents/{agentId}/sleeptime-agents", "{\"daily_token_budget\":-1}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/api/agents/{agentId}/sleeptime-agents", "{\"model\":{\"model\":\"m\",\"provider\":\"nope\"}}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, $"/api/agents/{agentId}/sleeptime-agents", "{\"model\":{\"provider\":\"OpenAICompatible\"}}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/api/agents/agent-missing/sleeptime-agents", "{}", HttpStatusCode.NotFound),
            (HttpMethod.Get, $"/api/agents/{agentId}/sleeptime-runs?status=bogus", null, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/api/agents/{agentId}/changes?status=7", null, HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/api/changes/changes-missing/approve", "{}", HttpStatusCode.NotFound),
            (HttpMethod.Post, "/api/changes/changes-missing/revert", "{}", HttpStatusCode.NotFound),
            (HttpMethod.Post, $"/api/agents/{agentId}/documents", "{\"title\":\"t\",\"text\":\"\"}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/api/agents/agent-missing/documents", "{\"text\":\"x\"}", HttpStatusCode.NotFound),
            (HttpMethod.Post, $"/api/agents/{agentId}/archival", "{\"text\":\" \"}", HttpStatusCode.BadRequest),
            (HttpMethod.Put, $"/api/agents/{agentId}/blocks/block-missing", null, HttpStatusCode.NotFound),
            (HttpMethod.Delete, "/api/agents/agent-missing", null, HttpStatusCode.NotFound),
        };
        foreach (var (method, url, json, expected) in cases)
        {
            using var request = new HttpRequestMessage(method, url) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
            var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"{method} {url} {json?[..Math.Min(json.Length, 60)]}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var block = await client.GetOkAsync($"/api/blocks/{blockId}");
        Assert.Equal((1L, "Name: Ada\nLikes tea"), (block.GetProperty("version").GetInt64(), block.GetProperty("value").GetString()));
        Assert.Empty((await client.GetOkAsync($"/api/agents/{agentId}/messages")).EnumerateArray());
        Assert.Single((await client.GetOkAsync("/api/agents")).EnumerateArray());
        Assert.Single((await client.GetOkAsync("/api/blocks")).EnumerateArray());
        Assert.Empty((await client.GetOkAsync($"/api/agents/{agentId}/sleeptime-agents")).EnumerateArray());
    }

    [Fact]
    public async Task Blocks_can_be_shared_between_agents_and_archival_passages_searched()
    {
        await using var factory = new ServerFactory(testModel: SleepModels.Primary());
        var client = factory.Client();
        var (first, shared) = await client.CreateAgentAsync();
        var second = (await client.PostOkAsync("/api/agents", new { name = "second", block_ids = new[] { shared } })).GetProperty("id").GetString()!;
        Assert.Equal([first, second], (await client.GetOkAsync($"/api/blocks/{shared}/agents")).EnumerateArray().Select(a => a.GetString()).Order());
        var detached = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/agents/{second}/blocks/{shared}"));
        Assert.Equal(0, (await detached.JsonAsync()).GetProperty("block_ids").GetArrayLength());

        await client.PostOkAsync($"/api/agents/{first}/archival", new { text = "The user's cat is called Miso." });
        await client.PostOkAsync($"/api/agents/{first}/archival", new { text = "The user works on compilers." });
        var hits = (await client.GetOkAsync($"/api/agents/{first}/archival?query=cat%20name")).EnumerateArray().ToArray();
        Assert.Contains("Miso", hits[0].GetProperty("text").GetString());
        Assert.Equal("lexical", hits[0].GetProperty("mode").GetString());
        Assert.Empty((await client.GetOkAsync($"/api/agents/{second}/archival?query=cat")).EnumerateArray());
    }
}
