using Microsoft.Extensions.AI;

namespace SleepTime.Storage.Tests;

/// <summary>The agents stores' contracts (docs/AGENTS.md), one suite run against every database.</summary>
public abstract class AgentStoreTests
{
    protected abstract Task<SleepTimeDatabase> CreateDatabaseAsync();

    protected async Task Blocks_are_written_by_compare_and_swap_on_their_version()
    {
        await using var database = await CreateDatabaseAsync();
        var blocks = new SqlBlockStore(database, "a");
        var block = await blocks.CreateAsync(new NewBlock("human", "Name: Ada", 40, "the user"), "user");
        Assert.Equal(1, block.Version);

        var first = await blocks.TryUpdateAsync(block.Id, 1, "Name: Ada\nCity: Bergen", "sleep-time:x");
        Assert.True(first.Updated);
        Assert.Equal(2, first.Current.Version);

        var stale = await blocks.TryUpdateAsync(block.Id, 1, "Name: Bob", "user");
        Assert.False(stale.Updated);
        Assert.Equal(2, stale.Current.Version);
        Assert.Equal("Name: Ada\nCity: Bergen", stale.Current.Value);

        await Assert.ThrowsAsync<SleepTimeValidationException>(() => blocks.TryUpdateAsync(block.Id, 2, new string('x', 41), "user"));
        await Assert.ThrowsAsync<BlockNotFoundException>(() => blocks.TryUpdateAsync("block-missing", 1, "x", "user"));
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => blocks.CreateAsync(new NewBlock("1 bad label"), "user"));

        var stored = await blocks.GetAsync(block.Id);
        Assert.Equal(("Name: Ada\nCity: Bergen", 2L, "sleep-time:x", 40, "the user"), (stored!.Value, stored.Version, stored.UpdatedBy, stored.Limit, stored.Description));
    }

    protected async Task Concurrent_block_writes_on_one_version_have_exactly_one_winner()
    {
        await using var database = await CreateDatabaseAsync();
        var block = await new SqlBlockStore(database, "a").CreateAsync(new NewBlock("notes"), "user");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => new SqlBlockStore(database, "a").TryUpdateAsync(block.Id, 1, $"writer {i}", $"w{i}"))));
        Assert.Single(results, r => r.Updated);
        var stored = await new SqlBlockStore(database, "a").GetAsync(block.Id);
        Assert.Equal(2, stored!.Version);
        Assert.Equal(results.Single(r => r.Updated).Current.Value, stored.Value);
    }

    protected async Task Agents_blocks_and_sleep_time_agents_are_scoped_to_their_tenant()
    {
        await using var database = await CreateDatabaseAsync();
        var a = new TenantAgentStores(database, "a");
        var b = new TenantAgentStores(database, "b");
        var human = await a.Blocks.CreateAsync(new NewBlock("human", "Name: Ada"), "user");
        var persona = await a.Blocks.CreateAsync(new NewBlock("persona", "helpful"), "user");
        var agent = await a.Agents.CreateAgentAsync("assistant", "Be brief.", [human.Id]);
        agent = await a.Agents.AttachBlockAsync(agent.Id, persona.Id);
        Assert.Equal([human.Id, persona.Id], agent.BlockIds);
        var sleeper = await a.Agents.CreateSleepTimeAgentAsync(agent.Id, "memory", new SleepTimeTriggers(3, TimeSpan.FromSeconds(90), 500), 1000, requireReview: true, cost: null, model: new SleepTimeModelSettings("gpt-small", "OpenAI", new Uri("http://localhost:1/v1")));

        var loaded = await a.Agents.GetSleepTimeAgentAsync(sleeper.Id);
        Assert.Equal(sleeper, loaded);
        Assert.Equal("gpt-small", (await a.Agents.GetModelAsync(sleeper.Id))!.Model);
        var reloaded = (await a.Agents.GetAgentAsync(agent.Id))!;
        Assert.Equal((agent.Name, agent.Instructions, agent.CreatedAt), (reloaded.Name, reloaded.Instructions, reloaded.CreatedAt));
        Assert.Equal(agent.BlockIds, reloaded.BlockIds);

        Assert.Null(await b.Agents.GetAgentAsync(agent.Id));
        Assert.Null(await b.Blocks.GetAsync(human.Id));
        Assert.Null(await b.Agents.GetSleepTimeAgentAsync(sleeper.Id));
        Assert.Empty(await b.Agents.ListAgentsAsync());
        Assert.Empty(await b.Blocks.ListAsync());
        var own = await b.Agents.CreateAgentAsync("other", "", []);
        await Assert.ThrowsAsync<BlockNotFoundException>(() => b.Agents.AttachBlockAsync(own.Id, human.Id));
        await Assert.ThrowsAsync<BlockNotFoundException>(() => b.Agents.CreateAgentAsync("thief", "", [human.Id]));
        await Assert.ThrowsAsync<AgentNotFoundException>(() => b.Agents.CreateSleepTimeAgentAsync(agent.Id, "x", SleepTimeTriggers.Default));
        await Assert.ThrowsAsync<AgentNotFoundException>(() => b.Messages.AppendAsync(agent.Id, ChatRole.User, "hi", 1));

        var detached = await a.Agents.DetachBlockAsync(agent.Id, human.Id);
        Assert.Equal([persona.Id], detached.BlockIds);
        Assert.Equal([agent.Id], await a.Blocks.AgentsUsingAsync(persona.Id));
        Assert.True(await a.Agents.DeleteAgentAsync(agent.Id));
        Assert.False(await a.Agents.DeleteAgentAsync(agent.Id));
        Assert.Null(await a.Agents.GetSleepTimeAgentAsync(sleeper.Id));
        Assert.NotNull(await a.Blocks.GetAsync(persona.Id));
    }

    protected async Task Messages_and_documents_are_numbered_per_agent_without_gaps_under_concurrency()
    {
        await using var database = await CreateDatabaseAsync();
        var stores = new TenantAgentStores(database, "a");
        var one = await stores.Agents.CreateAgentAsync("one", "", []);
        var two = await stores.Agents.CreateAgentAsync("two", "", []);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => new SqlMessageStore(database, "a").AppendAsync(i % 2 == 0 ? one.Id : two.Id, ChatRole.User, $"message {i} about Bergen", 3))));
        var messages = await stores.Messages.ListAsync(one.Id);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), messages.Select(m => m.Sequence));
        Assert.Equal([9L, 10L], (await stores.Messages.ListAsync(one.Id, afterSequence: 8)).Select(m => m.Sequence));
        Assert.Equal([8L, 9L, 10L], (await stores.Messages.ListRecentAsync(two.Id, 3)).Select(m => m.Sequence));
        Assert.Equal(ChatRole.User, messages[0].Role);

        await stores.Messages.AppendAsync(one.Id, ChatRole.Assistant, "The fjords are lovely", 4);
        var hit = Assert.Single(await stores.Messages.SearchAsync(one.Id, "fjords", 5));
        Assert.Equal(ChatRole.Assistant, hit.Role);

        var d1 = await stores.Documents.AddAsync(one.Id, "notes", "first");
        var d2 = await stores.Documents.AddAsync(one.Id, "", "second");
        Assert.Equal((1L, 2L, "untitled"), (d1.Sequence, d2.Sequence, d2.Title));
        Assert.Equal([d2.Id], (await stores.Documents.ListAsync(one.Id, 1)).Select(d => d.Id));
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => stores.Documents.AddAsync(one.Id, "empty", " "));
    }

    protected async Task The_watermark_moves_only_by_compare_and_swap()
    {
        await using var database = await CreateDatabaseAsync();
        var stores = new TenantAgentStores(database, "a");
        var agent = await stores.Agents.CreateAgentAsync("one", "", []);
        var sleeper = await stores.Agents.CreateSleepTimeAgentAsync(agent.Id, "memory", SleepTimeTriggers.Default);
        Assert.Equal(SleepTimeWatermark.Start, await stores.Agents.GetWatermarkAsync(sleeper.Id));
        Assert.True(await stores.Agents.TryAdvanceWatermarkAsync(sleeper.Id, SleepTimeWatermark.Start, new SleepTimeWatermark(4, 1)));
        Assert.False(await stores.Agents.TryAdvanceWatermarkAsync(sleeper.Id, SleepTimeWatermark.Start, new SleepTimeWatermark(9, 9)));
        Assert.False(await stores.Agents.TryAdvanceWatermarkAsync(sleeper.Id, new SleepTimeWatermark(4, 0), new SleepTimeWatermark(9, 9)));
        Assert.Equal(new SleepTimeWatermark(4, 1), await stores.Agents.GetWatermarkAsync(sleeper.Id));
        await Assert.ThrowsAsync<AgentNotFoundException>(() => stores.Agents.GetWatermarkAsync("sleeper-missing"));
        await Assert.ThrowsAsync<AgentNotFoundException>(() => new SqlAgentStore(database, "b").TryAdvanceWatermarkAsync(sleeper.Id, new SleepTimeWatermark(4, 1), new SleepTimeWatermark(5, 1)));
    }

    protected async Task Runs_are_stored_whole_and_count_tokens_for_the_daily_budget()
    {
        await using var database = await CreateDatabaseAsync();
        var runs = new SqlSleepTimeRunStore(database, "a");
        var start = new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var yesterday = new SleepTimeRun("run-1", "sleeper-1", "agent-1", SleepTimeRunStatus.Succeeded, [SleepTimeTrigger.Turns], 1, start.AddHours(-3), start.AddHours(-3), Usage: new TokenUsage(500, 100));
        var today = new SleepTimeRun("run-2", "sleeper-1", "agent-1", SleepTimeRunStatus.Queued, [SleepTimeTrigger.Manual], 1, start.AddHours(1));
        await runs.AddAsync(yesterday);
        await runs.AddAsync(today);
        var finished = today with
        {
            Status = SleepTimeRunStatus.Failed, StartedAt = start.AddHours(1), Error = "provider error: 503", Usage = new TokenUsage(70, 30, 5),
            Triggers = [SleepTimeTrigger.Manual, SleepTimeTrigger.Turns], ReadFrom = new SleepTimeWatermark(2, 1), Cost = 0.25m,
        };
        await runs.UpdateAsync(finished);

        var stored = (await runs.GetAsync("run-2"))!;
        IReadOnlyList<SleepTimeTrigger> same = [];
        Assert.Equal(finished with { Triggers = same }, stored with { Triggers = same });
        Assert.Equal(finished.Triggers, stored.Triggers);
        Assert.Equal(100, await runs.TokensUsedSinceAsync("sleeper-1", start));
        Assert.Equal(700, await runs.TokensUsedSinceAsync("sleeper-1", start.AddDays(-1)));
        Assert.Equal(["run-2", "run-1"], (await runs.ListAsync("sleeper-1")).Select(r => r.Id));
        Assert.Equal(["run-2"], (await runs.ListAsync(status: SleepTimeRunStatus.Failed)).Select(r => r.Id));
        Assert.Empty(await new SqlSleepTimeRunStore(database, "b").ListAsync());
        Assert.Null(await new SqlSleepTimeRunStore(database, "b").GetAsync("run-2"));
        await Assert.ThrowsAsync<SleepTimeNotFoundException>(() => new SqlSleepTimeRunStore(database, "b").UpdateAsync(finished));

        Assert.Empty(await SqlSleepTimeRunStore.TenantsWithLiveRunsAsync(database));
        await runs.AddAsync(today with { Id = "run-3" });
        Assert.Equal(["a"], await SqlSleepTimeRunStore.TenantsWithLiveRunsAsync(database));
    }

    protected async Task Change_sets_keep_their_edits_and_two_committers_cannot_overwrite_each_other()
    {
        await using var database = await CreateDatabaseAsync();
        var change = new BlockChange("block-1", "human", 1, "Name: Ada", "Name: Ada\nCity: Bergen", "@@ diff", [new InsertEdit("human", "City: Bergen", 1, "Name: Ada"), new ReplaceEdit("human", "Ada", "Ada L."), new RethinkEdit("human", "x")]);
        var changeSet = new ChangeSet("changes-1", "sleeper-1", "agent-1", "run-1", ChangeSetStatus.Pending, [change], ["msg-1"], ["doc-1"], "gpt", "sleep-time-agent.v1", new TokenUsage(10, 5), 0.5m, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var store = new SqlChangeSetStore(database, "a");
        await store.AddAsync(changeSet);

        var loaded = await store.GetAsync("changes-1");
        Assert.NotNull(loaded);
        Assert.Equal(change.Edits, loaded.Blocks[0].Edits);
        Assert.Equal((changeSet.SourceMessageIds.Single(), changeSet.Usage, changeSet.Cost), (loaded.SourceMessageIds.Single(), loaded.Usage, loaded.Cost));

        var reviewerOne = new SqlChangeSetStore(database, "a");
        var reviewerTwo = new SqlChangeSetStore(database, "a");
        var one = (await reviewerOne.GetAsync("changes-1"))!;
        var two = (await reviewerTwo.GetAsync("changes-1"))!;
        await reviewerOne.UpdateAsync(one with { Status = ChangeSetStatus.Committed, ResolvedBy = "one" });
        var lost = await Assert.ThrowsAsync<ChangeSetStateException>(() => reviewerTwo.UpdateAsync(two with { Status = ChangeSetStatus.Rejected, ResolvedBy = "two" }));
        Assert.Equal(ChangeSetStatus.Committed, lost.Status);
        Assert.Equal("one", (await store.GetAsync("changes-1"))!.ResolvedBy);

        // Having read the new state, the second reviewer may write again.
        var again = (await reviewerTwo.GetAsync("changes-1"))!;
        await reviewerTwo.UpdateAsync(again with { Status = ChangeSetStatus.Reverted });
        Assert.Equal([ChangeSetStatus.Reverted], (await store.ListAsync("agent-1")).Select(c => c.Status));
        Assert.Empty(await store.ListAsync("agent-1", ChangeSetStatus.Pending));
        Assert.Empty(await new SqlChangeSetStore(database, "b").ListAsync());
        await Assert.ThrowsAsync<ChangeSetNotFoundException>(() => new SqlChangeSetStore(database, "b").UpdateAsync(again));
    }

    protected async Task Archival_passages_keep_their_embeddings()
    {
        await using var database = await CreateDatabaseAsync();
        var stores = new TenantAgentStores(database, "a");
        var memory = new ArchivalMemory(stores.Archival);
        await memory.InsertAsync("agent-1", "The user's cat is called Miso.");
        await memory.InsertAsync("agent-1", "The user works on compilers.");
        var hit = (await memory.SearchAsync("agent-1", "cat name", 1)).Single();
        Assert.Contains("Miso", hit.Passage.Text);
        await stores.Archival.AddAsync(new ArchivalPassage("passage-x", "agent-1", "vector", DateTimeOffset.UnixEpoch, new float[] { 0.5f, -1.25f }));
        var stored = (await stores.Archival.ListAsync("agent-1")).Single(p => p.Id == "passage-x");
        Assert.Equal([0.5f, -1.25f], stored.Embedding!.Value.ToArray());
        Assert.Empty(await new SqlArchivalStore(database, "b").ListAsync("agent-1"));
    }
}
