using System.Net.Http.Json;
using System.Text.Json;
using SleepTime.Testing;

namespace SleepTime.Server.Tests;

/// <summary>Conversations with a primary agent over the real HTTP API, with sleep-time agents working in the background.</summary>
public sealed class ConversationTests
{
    [Fact]
    public async Task Every_fifth_turn_runs_the_sleep_time_agent_and_its_change_shows_in_the_next_turns_system_prompt()
    {
        var primary = SleepModels.Primary();
        var sleep = SleepModels.Editing(("memory_insert", new { label = "human", text = "Lives in Bergen (since 2025-05-01)" }), ("memory_finish_edits", null));
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: primary);
        var client = factory.Client();
        var (agentId, blockId) = await client.CreateAgentAsync();
        await client.CreateSleeperAsync(agentId);

        for (var turn = 1; turn <= 4; turn++)
        {
            var reply = await client.SendAsync(agentId, $"turn {turn}: I moved to Bergen.");
            Assert.Equal("Noted.", reply.GetProperty("assistant_message").GetProperty("text").GetString());
        }

        Assert.Empty((await client.GetOkAsync($"/api/agents/{agentId}/sleeptime-runs")).EnumerateArray());
        await client.SendAsync(agentId, "turn 5");

        var run = Assert.Single(await client.WaitForRunsAsync(agentId, 1));
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(("turns", "agent"), (run.GetProperty("trigger").GetString(), run.GetProperty("kind").GetString()));
        Assert.Equal(10, run.GetProperty("read_to").GetProperty("message_sequence").GetInt64());
        Assert.True(run.GetProperty("usage").GetProperty("total_tokens").GetInt64() > 0);
        var changeSet = await client.GetOkAsync($"/api/changes/{run.GetProperty("change_set_id").GetString()}");
        Assert.Equal("committed", changeSet.GetProperty("status").GetString());
        Assert.Equal(10, changeSet.GetProperty("source_message_ids").GetArrayLength());
        var change = changeSet.GetProperty("blocks")[0];
        Assert.Equal(("applied", "insert"), (change.GetProperty("state").GetString(), change.GetProperty("edits")[0].GetProperty("kind").GetString()));
        Assert.Contains("+Lives in Bergen (since 2025-05-01)", change.GetProperty("diff").GetString());
        Assert.Equal("Name: Ada\nLikes tea\nLives in Bergen (since 2025-05-01)", await client.BlockValueAsync(blockId));

        var sixth = await client.SendAsync(agentId, "Where do I live?");
        Assert.Equal(2, sixth.GetProperty("block_versions").GetProperty(blockId).GetInt64());
        var system = primary.Calls[^1].Messages[0].Text;
        Assert.Contains("Lives in Bergen (since 2025-05-01)", system);
        Assert.DoesNotContain("Lives in Bergen", primary.Calls[0].Messages[0].Text);

        var history = (await client.GetOkAsync($"/api/agents/{agentId}/messages?limit=3")).EnumerateArray().ToArray();
        Assert.Equal([10L, 11L, 12L], history.Select(m => m.GetProperty("sequence").GetInt64()));
        var found = (await client.GetOkAsync($"/api/agents/{agentId}/messages/search?query=live")).EnumerateArray().ToArray();
        Assert.Contains(found, m => m.GetProperty("text").GetString() == "Where do I live?");
    }

    [Fact]
    public async Task A_streamed_turn_sends_deltas_then_the_completed_turn()
    {
        await using var factory = new ServerFactory(testModel: new InstantChatClient("Hello there."));
        var client = factory.Client();
        var (agentId, _) = await client.CreateAgentAsync();
        var response = await client.PostAsJsonAsync($"/api/agents/{agentId}/messages/stream", new { message = "hi" }, ServerFactory.Json);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("event: delta", body);
        var completed = body.Split("\n\n").Single(e => e.StartsWith("event: completed", StringComparison.Ordinal));
        var turn = JsonDocument.Parse(completed[(completed.IndexOf("data: ", StringComparison.Ordinal) + 6)..]).RootElement;
        Assert.Equal("Hello there.", turn.GetProperty("assistant_message").GetProperty("text").GetString());
        Assert.Equal(2, (await client.GetOkAsync($"/api/agents/{agentId}/messages")).GetArrayLength());
    }

    [Fact]
    public async Task An_attached_document_is_read_in_the_background_and_its_findings_written_to_a_block()
    {
        var sleep = SleepModels.Editing(("memory_insert", new { label = "human", text = "Allergic to peanuts (from intake form)" }), ("memory_finish_edits", null));
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var client = factory.Client();
        var (agentId, blockId) = await client.CreateAgentAsync();
        await client.CreateSleeperAsync(agentId);

        var response = await client.PostAsJsonAsync($"/api/agents/{agentId}/documents", new { title = "intake form", text = "Allergies: peanuts." }, ServerFactory.Json);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var run = Assert.Single(await client.WaitForRunsAsync(agentId, 1));
        Assert.Equal(("succeeded", "document"), (run.GetProperty("status").GetString(), run.GetProperty("trigger").GetString()));
        Assert.Contains("Allergies: peanuts.", string.Join("\n", sleep.Calls[0].Messages.Select(m => m.Text)));
        Assert.Contains("Allergic to peanuts", await client.BlockValueAsync(blockId));
        Assert.Equal("intake form", (await client.GetOkAsync($"/api/agents/{agentId}/documents"))[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task Run_and_block_events_stream_per_agent()
    {
        var sleep = SleepModels.Editing(("memory_insert", new { label = "human", text = "Plays chess" }), ("memory_finish_edits", null));
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var client = factory.Client();
        var (agentId, _) = await client.CreateAgentAsync();
        var sleeperId = await client.CreateSleeperAsync(agentId, new { every_turns = 0 });
        await client.SendAsync(agentId, "I play chess.");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/agents/{agentId}/events");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("event: ready", await reader.ReadLineAsync());
        await client.TriggerAsync(sleeperId);

        var seen = new List<string>();
        while (!seen.Contains("event: memory.updated"))
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException("The event stream ended.");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                seen.Add(line);
            }
        }

        // One vocabulary with contexts: the run's states, then what its commit wrote.
        Assert.Equal(["event: run.queued", "event: run.started", "event: run.succeeded", "event: change_set.created", "event: memory.updated"], seen);
    }
}
