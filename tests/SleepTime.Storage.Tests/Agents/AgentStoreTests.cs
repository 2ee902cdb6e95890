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
        var schedule = SchedulePolicy.AgentDefault with { EveryTurns = 3, IdleSeconds = 90, TranscriptTokens = 500, DailyTokenCap = 1000, Cron = "0 0 3 * * ?" };
        var sleeper = await a.Agents.CreateSleepTimeAgentAsync(agent.Id, "memory", schedule, requireReview: true, cost: null, model: new SleepTimeModelSettings("gpt-small", "OpenAI", new Uri("http://localhost:1/v1")));

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
        await Assert.ThrowsAsync<AgentNotFoundException>(() => b.Agents.CreateSleepTimeAgentAsync(agent.Id, "x"));
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

    protected async Task A_memory_unit_commits_blocks_change_set_and_watermark_together_or_not_at_all()
    {
        await using var database = await CreateDatabaseAsync();
        var stores = new TenantAgentStores(database, "a");
        var block = await stores.Blocks.CreateAsync(new NewBlock("human", "Name: Ada"), "user");
        var agent = await stores.Agents.CreateAgentAsync("one", "", [block.Id]);
        var sleeper = await stores.Agents.CreateSleepTimeAgentAsync(agent.Id, "memory");
        Assert.Equal(SleepTimeWatermark.Start, await stores.Agents.GetWatermarkAsync(sleeper.Id));

        // A unit that fails after writing leaves nothing behind.
        await Assert.ThrowsAsync<InvalidOperationException>(() => stores.Memory.WriteAsync<int>(async (writer, ct) =>
        {
            await writer.WriteBlockAsync((await writer.GetBlockAsync(block.Id, ct))!, "Name: Ada\nCity: Bergen", "sleep-time:x", ct);
            await writer.SaveChangeSetAsync(ChangeSetOf(block.Id, "changes-lost"), ct);
            Assert.True(await writer.TryAdvanceWatermarkAsync(sleeper.Id, SleepTimeWatermark.Start, new SleepTimeWatermark(4, 1), ct));
            throw new InvalidOperationException("the process died here");
        }));
        Assert.Equal(1, (await stores.Blocks.GetAsync(block.Id))!.Version);
        Assert.Null(await stores.ChangeSets.GetAsync("changes-lost"));
        Assert.Equal(SleepTimeWatermark.Start, await stores.Agents.GetWatermarkAsync(sleeper.Id));

        // A unit that completes writes all of it; the watermark moves only from where it is.
        var moved = await stores.Memory.WriteAsync(async (writer, ct) =>
        {
            await writer.WriteBlockAsync((await writer.GetBlockAsync(block.Id, ct))!, "Name: Ada\nCity: Bergen", "sleep-time:x", ct);
            await writer.SaveChangeSetAsync(ChangeSetOf(block.Id, "changes-kept"), ct);
            return await writer.TryAdvanceWatermarkAsync(sleeper.Id, SleepTimeWatermark.Start, new SleepTimeWatermark(4, 1), ct);
        });
        Assert.True(moved);
        Assert.Equal((2L, "Name: Ada\nCity: Bergen"), ((await stores.Blocks.GetAsync(block.Id))!.Version, (await stores.Blocks.GetAsync(block.Id))!.Value));
        Assert.NotNull(await stores.ChangeSets.GetAsync("changes-kept"));
        Assert.Equal(new SleepTimeWatermark(4, 1), await stores.Agents.GetWatermarkAsync(sleeper.Id));
        Assert.False(await stores.Memory.WriteAsync((writer, ct) => writer.TryAdvanceWatermarkAsync(sleeper.Id, SleepTimeWatermark.Start, new SleepTimeWatermark(9, 9), ct)));
        await Assert.ThrowsAsync<AgentNotFoundException>(() => stores.Agents.GetWatermarkAsync("sleeper-missing"));
        await Assert.ThrowsAsync<AgentNotFoundException>(() => new SqlMemoryStore(database, "b").WriteAsync((writer, ct) =>
            writer.TryAdvanceWatermarkAsync(sleeper.Id, new SleepTimeWatermark(4, 1), new SleepTimeWatermark(5, 1), ct)));
    }

    protected async Task Concurrent_memory_units_on_one_block_never_lose_a_write()
    {
        await using var database = await CreateDatabaseAsync();
        var block = await new SqlBlockStore(database, "a").CreateAsync(new NewBlock("notes", "start", 1000), "user");
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => new SqlMemoryStore(database, "a").WriteAsync(async (writer, ct) =>
        {
            var current = (await writer.GetBlockAsync(block.Id, ct))!;
            return await writer.WriteBlockAsync(current, current.Value + $"\nline {i}", $"w{i}", ct);
        }))));
        var stored = (await new SqlBlockStore(database, "a").GetAsync(block.Id))!;
        Assert.Equal(9, stored.Version);
        Assert.Equal(9, BlockText.Lines(stored.Value).Count);
    }

    protected async Task Change_sets_keep_their_edits_and_two_reviewers_cannot_both_decide()
    {
        await using var database = await CreateDatabaseAsync();
        var stores = new TenantAgentStores(database, "a");
        var block = await stores.Blocks.CreateAsync(new NewBlock("human", "Name: Ada"), "user");
        var changeSet = ChangeSetOf(block.Id, "changes-1");
        await stores.Memory.WriteAsync(async (writer, ct) =>
        {
            await writer.SaveChangeSetAsync(changeSet, ct);
            return true;
        });

        var loaded = await stores.ChangeSets.GetAsync("changes-1");
        Assert.NotNull(loaded);
        Assert.Equal(changeSet.Blocks[0].Edits, loaded.Blocks[0].Edits);
        Assert.Equal((changeSet.SourceMessageIds.Single(), changeSet.Usage, changeSet.Cost), (loaded.SourceMessageIds.Single(), loaded.Usage, loaded.Cost));

        var decisions = await Task.WhenAll(
            Try(() => new ChangeSetCommitter(new SqlMemoryStore(database, "a")).ApproveAsync("changes-1", "one")),
            Try(() => new ChangeSetCommitter(new SqlMemoryStore(database, "a")).RejectAsync("changes-1", "two")));
        Assert.Single(decisions, d => d is null);
        Assert.Single(decisions, d => d is ChangeSetStateException);
        var decided = (await stores.ChangeSets.GetAsync("changes-1"))!;
        Assert.Contains(decided.Status, new[] { ChangeSetStatus.Committed, ChangeSetStatus.Rejected });
        Assert.Equal(decided.Status == ChangeSetStatus.Committed ? 2 : 1, (await stores.Blocks.GetAsync(block.Id))!.Version);
        Assert.Equal([decided.Status], (await stores.ChangeSets.ListAsync("agent-1")).Select(c => c.Status));
        Assert.Empty(await stores.ChangeSets.ListAsync("agent-1", ChangeSetStatus.Pending));
        Assert.Empty(await new SqlChangeSetStore(database, "b").ListAsync());
        await Assert.ThrowsAsync<ChangeSetNotFoundException>(() => new ChangeSetCommitter(new SqlMemoryStore(database, "b")).ApproveAsync("changes-1", "thief"));
    }

    private static ChangeSet ChangeSetOf(string blockId, string id)
    {
        var change = new BlockChange(blockId, "human", 1, "Name: Ada", "Name: Ada\nCity: Bergen", "@@ diff",
            [new InsertEdit("human", "City: Bergen", 1, "Name: Ada"), new ReplaceEdit("human", "Ada", "Ada L."), new RethinkEdit("human", "x")]);
        return new ChangeSet(id, "sleeper-1", "agent-1", "run-1", ChangeSetStatus.Pending, [change], ["msg-1"], ["doc-1"], "gpt", "sleep-time-agent.v1",
            new TokenUsage(10, 5), 0.5m, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    }

    private static async Task<Exception?> Try(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
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
