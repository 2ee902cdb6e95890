using System.Net;
using System.Net.Http.Json;
using SleepTime.Agents;
using SleepTime.Storage;
using SleepTime.Testing;

namespace SleepTime.Server.Tests;

/// <summary>Letta's failure modes, each visible over the HTTP API: races, review, revert, cost, silent failures, lost work.</summary>
public sealed class FailureModeApiTests
{
    [Fact]
    public async Task A_user_edit_during_a_run_is_rebased_under_it()
    {
        var called = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var sleep = SleepModels.Gated(called, release.Task, ("memory_replace", new { label = "human", old_text = "Likes tea", new_text = "Likes green tea" }), ("memory_finish_edits", null));
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var client = factory.Client();
        var (agentId, blockId) = await client.CreateAgentAsync();
        var sleeperId = await client.CreateSleeperAsync(agentId, new { every_turns = 0 });
        await client.SendAsync(agentId, "I only drink green tea.");

        var run = await client.TriggerAsync(sleeperId);
        await called.Task;
        using var edit = new HttpRequestMessage(HttpMethod.Put, $"/api/blocks/{blockId}") { Content = JsonContent.Create(new { value = "Name: Ada\nLikes tea\nCity: Oslo" }) };
        edit.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
        var edited = await client.SendAsync(edit);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("\"2\"", edited.Headers.ETag?.Tag);
        release.SetResult();

        var done = await client.WaitForSleepTimeRunAsync(run.GetProperty("id").GetString()!);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        var change = (await client.GetOkAsync($"/api/changes/{done.GetProperty("change_set_id").GetString()}")).GetProperty("blocks")[0];
        Assert.Equal("rebased", change.GetProperty("state").GetString());
        Assert.Equal(3, change.GetProperty("applied_version").GetInt64());
        Assert.Equal("Name: Ada\nLikes green tea\nCity: Oslo", await client.BlockValueAsync(blockId));
    }

    [Fact]
    public async Task A_rewrite_that_meets_a_newer_block_is_a_conflict_until_a_reviewer_decides()
    {
        var called = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var sleep = SleepModels.Gated(called, release.Task, ("memory_rethink", new { label = "human", new_value = "Name: Ada Lovelace" }), ("memory_finish_edits", null));
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var client = factory.Client();
        var (agentId, blockId) = await client.CreateAgentAsync();
        var sleeperId = await client.CreateSleeperAsync(agentId, new { every_turns = 0 });
        await client.SendAsync(agentId, "My full name is Ada Lovelace.");

        var run = await client.TriggerAsync(sleeperId);
        await called.Task;
        var edited = await client.PutAsJsonAsync($"/api/blocks/{blockId}", new { value = "Name: Ada\nCity: Oslo", expected_version = 1 }, ServerFactory.Json);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        release.SetResult();

        var done = await client.WaitForSleepTimeRunAsync(run.GetProperty("id").GetString()!);
        Assert.Contains("wait for review", done.GetProperty("reason").GetString());
        var changeSetId = done.GetProperty("change_set_id").GetString()!;
        var changeSet = await client.GetOkAsync($"/api/changes/{changeSetId}");
        Assert.Equal("needs_review", changeSet.GetProperty("status").GetString());
        var change = changeSet.GetProperty("blocks")[0];
        Assert.Equal(("conflict", 2L, "Name: Ada\nCity: Oslo"), (change.GetProperty("state").GetString(), change.GetProperty("conflict_version").GetInt64(), change.GetProperty("conflict_value").GetString()));
        Assert.Equal("Name: Ada\nCity: Oslo", await client.BlockValueAsync(blockId));
        Assert.Single((await client.GetOkAsync($"/api/agents/{agentId}/changes?status=needs_review")).EnumerateArray());

        var approved = await client.PostOkAsync($"/api/changes/{changeSetId}/approve", new { overwrite_conflicts = true });
        Assert.Equal("committed", approved.GetProperty("status").GetString());
        Assert.Equal("Name: Ada Lovelace", await client.BlockValueAsync(blockId));
    }

    [Fact]
    public async Task The_review_gate_holds_change_sets_until_approved_or_rejected()
    {
        var sleep = SleepModels.Editing(("memory_insert", new { label = "human", text = "Prefers mornings" }), ("memory_finish_edits", null));
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var client = factory.Client();
        var (agentId, blockId) = await client.CreateAgentAsync();
        var sleeperId = await client.CreateSleeperAsync(agentId, new { every_turns = 0, require_review = true });

        await client.SendAsync(agentId, "I prefer mornings.");
        var first = await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).GetProperty("id").GetString()!);
        var pending = await client.GetOkAsync($"/api/changes/{first.GetProperty("change_set_id").GetString()}");
        Assert.Equal(("pending", "proposed"), (pending.GetProperty("status").GetString(), pending.GetProperty("blocks")[0].GetProperty("state").GetString()));
        Assert.Equal("Name: Ada\nLikes tea", await client.BlockValueAsync(blockId));
        var approved = await client.PostOkAsync($"/api/changes/{pending.GetProperty("id").GetString()}/approve", new { });
        Assert.Equal("committed", approved.GetProperty("status").GetString());
        Assert.StartsWith("user:", approved.GetProperty("resolved_by").GetString());
        Assert.Equal("Name: Ada\nLikes tea\nPrefers mornings", await client.BlockValueAsync(blockId));

        await client.SendAsync(agentId, "Actually, evenings.");
        var second = await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).GetProperty("id").GetString()!);
        var rejected = await client.PostOkAsync($"/api/changes/{second.GetProperty("change_set_id").GetString()}/reject", new { });
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        Assert.Equal("Name: Ada\nLikes tea\nPrefers mornings", await client.BlockValueAsync(blockId));
        var again = await client.PostAsJsonAsync($"/api/changes/{rejected.GetProperty("id").GetString()}/approve", new { }, ServerFactory.Json);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Revert_restores_the_block_and_refuses_when_the_block_moved_on()
    {
        var sleep = SleepModels.Editing(("memory_insert", new { label = "human", text = "Has a dog" }), ("memory_finish_edits", null));
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var client = factory.Client();
        var (agentId, blockId) = await client.CreateAgentAsync();
        var sleeperId = await client.CreateSleeperAsync(agentId, new { every_turns = 0 });

        await client.SendAsync(agentId, "I have a dog.");
        var first = await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).GetProperty("id").GetString()!);
        var reverted = await client.PostOkAsync($"/api/changes/{first.GetProperty("change_set_id").GetString()}/revert", new { });
        Assert.True(reverted.GetProperty("reverted").GetBoolean());
        Assert.Equal("reverted", reverted.GetProperty("change_set").GetProperty("status").GetString());
        Assert.Equal("Name: Ada\nLikes tea", await client.BlockValueAsync(blockId));

        await client.SendAsync(agentId, "Still the dog.");
        var second = await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).GetProperty("id").GetString()!);
        var block = await client.GetOkAsync($"/api/blocks/{blockId}");
        await client.PutAsJsonAsync($"/api/blocks/{blockId}", new { value = "Name: Ada", expected_version = block.GetProperty("version").GetInt64() }, ServerFactory.Json);
        var refused = await client.PostAsJsonAsync($"/api/changes/{second.GetProperty("change_set_id").GetString()}/revert", new { }, ServerFactory.Json);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Single((await refused.JsonAsync()).GetProperty("conflicts").EnumerateArray());
        Assert.Equal("Name: Ada", await client.BlockValueAsync(blockId));
    }

    [Fact]
    public async Task A_run_over_the_daily_budget_is_skipped_with_the_amount_in_its_reason()
    {
        var sleep = SleepModels.Editing(("memory_insert", new { label = "human", text = "Runs marathons" }), ("memory_finish_edits", null));
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var client = factory.Client();
        var (agentId, _) = await client.CreateAgentAsync();
        // One run's one model call costs 120 tokens: the first run spends the whole cap, the second finds nothing left.
        var sleeperId = await client.CreateSleeperAsync(agentId, new { every_turns = 0, daily_token_budget = 120 });

        await client.SendAsync(agentId, "I run marathons.");
        var first = await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).GetProperty("id").GetString()!);
        Assert.Equal("succeeded", first.GetProperty("status").GetString());
        Assert.Equal(120, first.GetProperty("usage").GetProperty("total_tokens").GetInt64());

        await client.SendAsync(agentId, "Two this year.");
        var second = await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).GetProperty("id").GetString()!);
        Assert.Equal("skipped", second.GetProperty("status").GetString());
        Assert.Contains("over_budget: the sleep-time agent spent", second.GetProperty("reason").GetString());
        Assert.Contains("120 of its 120 daily sleep tokens", second.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_failed_run_is_visible_with_its_error_and_leaves_the_watermark_for_its_retry()
    {
        var failing = new ScriptedChatClient(_ => throw new HttpRequestException("fake model: 503 Service Unavailable"));
        await using var factory = new ServerFactory(sleepModel: failing, testModel: SleepModels.Primary(), settings: new() { ["SleepTime:Scheduling:MaxAttempts"] = "1" });
        var client = factory.Client();
        var (agentId, _) = await client.CreateAgentAsync();
        var sleeperId = await client.CreateSleeperAsync(agentId, new { every_turns = 0 });
        await client.SendAsync(agentId, "hello");

        var run = await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).GetProperty("id").GetString()!);
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains("503", run.GetProperty("error").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, run.GetProperty("read_to").ValueKind);
        Assert.Single((await client.GetOkAsync($"/api/agents/{agentId}/sleeptime-runs?status=failed")).EnumerateArray());
    }

    [Fact]
    public async Task Runs_a_crashed_process_left_running_are_failed_visibly_and_retried_on_start()
    {
        var path = Path.Combine(Path.GetTempPath(), "sleeptime-server-tests", Guid.NewGuid().ToString("N") + ".db");
        var settings = new Dictionary<string, string?> { ["SleepTime:Storage:SqlitePath"] = path };
        string agentId, sleeperId, blockId;
        await using (var before = new ServerFactory(testModel: SleepModels.Primary(), settings: settings))
        {
            var client = before.Client();
            (agentId, blockId) = await client.CreateAgentAsync();
            sleeperId = await client.CreateSleeperAsync(agentId, new { every_turns = 0 });
            await client.SendAsync(agentId, "I moved to Bergen.");
        }

        // What a killed process leaves behind: a run marked running (claimed by a node that died) whose watermark never moved.
        string crashedId;
        await using (var database = new SleepTimeDatabase(new StorageOptions { SqlitePath = path }))
        {
            var runs = new RunStore(database);
            var queued = await runs.EnqueueAsync("default", SleeperKind.Agent, sleeperId, agentId, TriggerKinds.Manual, DateTimeOffset.UtcNow);
            crashedId = (await runs.ClaimNextAsync("default", SleeperKind.Agent, sleeperId, "dead-node"))!.Id;
            Assert.Equal(queued.Run.Id, crashedId);
        }

        var sleep = SleepModels.Editing(("memory_insert", new { label = "human", text = "Lives in Bergen" }), ("memory_finish_edits", null));
        await using var after = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary(), settings: settings);
        var restarted = after.Client();
        // The same run is claimed again on restart, its attempt counted, and finishes once.
        var crashed = await restarted.WaitForSleepTimeRunAsync(crashedId);
        Assert.Equal(("succeeded", 2), (crashed.GetProperty("status").GetString(), crashed.GetProperty("attempt").GetInt32()));
        Assert.Single(await restarted.WaitForRunsAsync(agentId, 1));
        Assert.Contains("Lives in Bergen", await restarted.BlockValueAsync(blockId));
    }
}
