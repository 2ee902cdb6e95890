using System.Net;
using SleepTime.Server;

namespace SleepTime.Client.Tests;

public sealed class AgentsClientTests
{
    [Fact]
    public async Task Agents_messages_documents_passages_and_sleep_time_agents_round_trip()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = await server.TenantClientAsync("agents");
        var ct = Waits.Deadline();
        var agent = await client.Agents.CreateAsync(new CreateAgentRequest("assistant", "Be brief.", null, [new CreateBlockRequest("human", "Name: Ada", 2000, null, null)]), ct);
        Assert.Equal("assistant", agent.Name);
        Assert.Contains(await client.Agents.ListAsync(cancellationToken: ct), a => a.Id == agent.Id);
        var blockId = Assert.Single(agent.BlockIds);
        Assert.Equal("Name: Ada", Assert.Single(await client.Agents.ListBlocksAsync(agent.Id, ct)).Value);

        var turn = await client.Agents.SendMessageAsync(agent.Id, "I like tea.", ct);
        Assert.Equal(("I like tea.", "The answer is 42."), (turn.UserMessage.Text, turn.AssistantMessage.Text));
        Assert.Equal(["user", "assistant"], (await client.Agents.ListMessagesAsync(agent.Id, cancellationToken: ct)).Select(m => m.Role));
        Assert.Single(await client.Agents.ListMessagesAsync(agent.Id, after: turn.UserMessage.Sequence, cancellationToken: ct));

        var documents = await client.Agents.AttachDocumentAsync(agent.Id, "notes", "Ada was born in 1815.", ct);
        Assert.Equal("notes", Assert.Single(documents).Title);
        Assert.Equal(documents.Select(d => d.Id), (await client.Agents.ListDocumentsAsync(agent.Id, ct)).Select(d => d.Id));
        var passage = await client.Agents.InsertPassageAsync(agent.Id, "Ada wrote the first program.", ct);
        Assert.Contains(await client.Agents.SearchPassagesAsync(agent.Id, "program", cancellationToken: ct), p => p.Id == passage.Id);

        var sleeper = await client.Agents.CreateSleepTimeAgentAsync(agent.Id, new CreateSleepTimeAgentRequest("memory", 0, null, null, null, null, null), ct);
        Assert.Equal(agent.Id, sleeper.PrimaryAgentId);
        Assert.Equal(sleeper.Id, Assert.Single(await client.Agents.ListSleepTimeAgentsAsync(agent.Id, ct)).Id);
        Assert.Equal(sleeper.Name, (await client.Agents.GetSleepTimeAgentAsync(sleeper.Id, ct)).Name);

        var run = await client.Runs.WaitAsync((await client.Runs.TriggerSleepTimeAgentAsync(sleeper.Id, ct)).Id, Waits.Poll, ct);
        Assert.Equal((RunStatus.Succeeded, SleeperKind.Agent), (run.Status, run.Kind));
        Assert.Equal(run.Id, (await client.Agents.GetSleepTimeRunAsync(run.Id, ct)).Id);
        Assert.Equal([run.Id], (await client.Runs.ListForAgentAsync(agent.Id, sleepTimeAgentId: sleeper.Id, cancellationToken: ct)).Select(r => r.Id));
        Assert.StartsWith("Name: Ada\nSlept on:", (await client.Blocks.GetAsync(blockId, ct)).Value, StringComparison.Ordinal);
        Assert.True((await client.Usage.AgentAsync(agent.Id, ct)).SleepTokens.TotalTokens > 0);

        await client.Agents.DeleteAsync(agent.Id, ct);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<SleepTimeApiException>(() => client.Agents.GetAsync(agent.Id, ct))).Status);
    }

    [Fact]
    public async Task Blocks_are_created_shared_and_written_with_the_version_read_and_a_stale_write_is_a_409()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = await server.TenantClientAsync("blocks");
        var ct = Waits.Deadline();
        var block = await client.Blocks.CreateAsync(new CreateBlockRequest("team", "We ship on Fridays.", null, "shared", null), ct);
        Assert.Equal((1L, "team"), (block.Version, block.Label));
        var first = await client.Agents.CreateAsync(new CreateAgentRequest("one", null, [block.Id], null), ct);
        var second = await client.Agents.CreateAsync(new CreateAgentRequest("two", null, null, null), ct);
        await client.Agents.AttachBlockAsync(second.Id, block.Id, ct);
        Assert.Equal(new[] { first.Id, second.Id }.Order(), (await client.Blocks.AgentsAsync(block.Id, ct)).Order());
        Assert.Contains(await client.Blocks.ListAsync(label: "team", cancellationToken: ct), b => b.Id == block.Id);

        var updated = await client.Blocks.UpdateAsync(block.Id, "We ship on Thursdays.", block.Version, ct);
        Assert.Equal(2L, updated.Version);
        var stale = await Assert.ThrowsAsync<SleepTimeApiException>(() => client.Blocks.UpdateAsync(block.Id, "Mondays.", block.Version, ct));
        Assert.Equal((HttpStatusCode.Conflict, "Version conflict"), (stale.Status, stale.Title));
        Assert.Contains("current_version", stale.Body, StringComparison.Ordinal);
        Assert.Equal("We ship on Thursdays.", (await client.Blocks.GetAsync(block.Id, ct)).Value);

        var detached = await client.Agents.DetachBlockAsync(second.Id, block.Id, ct);
        Assert.Empty(detached.BlockIds);
    }

    [Fact]
    public async Task Change_sets_are_listed_read_approved_rejected_and_reverted()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = await server.TenantClientAsync("changes");
        var ct = Waits.Deadline();
        var agent = await client.Agents.CreateAsync(new CreateAgentRequest("assistant", null, null, [new CreateBlockRequest("human", "Name: Ada", 2000, null, null)]), ct);
        var blockId = agent.BlockIds[0];
        var gated = await client.Agents.CreateSleepTimeAgentAsync(agent.Id, new CreateSleepTimeAgentRequest("gated", 0, null, null, null, RequireReview: true, null), ct);

        await client.Agents.SendMessageAsync(agent.Id, "I have a dog.", ct);
        var pendingRun = await client.Runs.WaitAsync((await client.Runs.TriggerSleepTimeAgentAsync(gated.Id, ct)).Id, Waits.Poll, ct);
        var pending = await client.ChangeSets.GetAsync(pendingRun.ChangeSetId!, ct);
        Assert.Equal((ChangeSetStatus.Pending, BlockChangeState.Proposed), (pending.Status, pending.Blocks[0].State));
        Assert.Equal([pending.Id], (await client.ChangeSets.ListAsync(agent.Id, status: "pending", cancellationToken: ct)).Select(c => c.Id));
        var approved = await client.ChangeSets.ApproveAsync(pending.Id, cancellationToken: ct);
        Assert.Equal(ChangeSetStatus.Committed, approved.Status);
        var afterApproval = (await client.Blocks.GetAsync(blockId, ct)).Value;
        Assert.StartsWith("Name: Ada\nSlept on:", afterApproval, StringComparison.Ordinal);

        var reverted = await client.ChangeSets.RevertAsync(approved.Id, ct);
        Assert.True(reverted.Reverted);
        Assert.Equal(ChangeSetStatus.Reverted, reverted.ChangeSet.Status);
        Assert.Equal("Name: Ada", (await client.Blocks.GetAsync(blockId, ct)).Value);

        await client.Agents.SendMessageAsync(agent.Id, "Two dogs, in fact.", ct);
        var secondRun = await client.Runs.WaitAsync((await client.Runs.TriggerSleepTimeAgentAsync(gated.Id, ct)).Id, Waits.Poll, ct);
        var rejected = await client.ChangeSets.RejectAsync(secondRun.ChangeSetId!, cancellationToken: ct);
        Assert.Equal(ChangeSetStatus.Rejected, rejected.Status);
        Assert.Equal("Name: Ada", (await client.Blocks.GetAsync(blockId, ct)).Value);
        var again = await Assert.ThrowsAsync<SleepTimeApiException>(() => client.ChangeSets.ApproveAsync(rejected.Id, cancellationToken: ct));
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
    }
}
