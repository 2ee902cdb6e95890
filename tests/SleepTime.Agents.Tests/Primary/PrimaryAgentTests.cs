using System.ComponentModel;
using Microsoft.Extensions.AI;
using SleepTime.Agents.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Agents.Tests.Primary;

public sealed class PrimaryAgentTests
{
    [Fact]
    public async Task Blocks_render_into_the_system_prompt_on_every_turn_and_the_versions_used_are_recorded()
    {
        await using var world = await AgentWorld.CreateAsync(new ScriptedChatClient());
        var model = new ScriptedChatClient(ScriptedReply.Text("Hi Ada."), ScriptedReply.Text("Hi Ada Lovelace."));
        var agent = world.Primary(model);

        var first = await agent.SendAsync("Hello!");
        await world.Stores.Blocks.TryUpdateAsync(world.Human.Id, 1, "Name: Ada Lovelace", "user");
        var second = await agent.SendAsync("Hello again!");

        Assert.Contains("<human description=\"Facts about the user\" characters=\"9/500\">\nName: Ada\n</human>", model.Calls[0].Messages[0].Text, StringComparison.Ordinal);
        Assert.Contains("You are a helpful assistant.", model.Calls[0].Messages[0].Text, StringComparison.Ordinal);
        Assert.Contains("Today's date is 2025-04-17", model.Calls[0].Messages[0].Text, StringComparison.Ordinal);
        Assert.Contains("Name: Ada Lovelace", model.Calls[1].Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal(1, first.BlockVersions[world.Human.Id]);
        Assert.Equal(2, second.BlockVersions[world.Human.Id]);
        Assert.Equal("primary-agent.v1", first.PromptVersion);

        Assert.Equal(["Hello!", "Hi Ada.", "Hello again!"], model.Calls[1].Messages.Skip(1).Select(m => m.Text));
        var stored = await world.Stores.Messages.ListAsync(world.Agent.Id);
        Assert.Equal([first.UserMessage.Id, first.AssistantMessage.Id, second.UserMessage.Id, second.AssistantMessage.Id], stored.Select(m => m.Id));
        Assert.Equal("Hi Ada Lovelace.", stored[3].Text);
        Assert.Equal(new TokenUsage(100, 20), second.Usage);
    }

    [Fact]
    public async Task Conversation_search_finds_earlier_messages_of_this_agent()
    {
        await using var world = await AgentWorld.CreateAsync(new ScriptedChatClient());
        await world.Stores.Messages.AppendAsync(world.Agent.Id, ChatRole.User, "My bike is a blue Brompton.", 8);
        await world.Stores.Messages.AppendAsync(world.Agent.Id, ChatRole.User, "The weather is nice.", 5);
        await world.Stores.Messages.AppendAsync("someone-else", ChatRole.User, "My bike is a red Brompton.", 8);
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("conversation_search", new { query = "Brompton bike" })),
            ScriptedReply.Text("It is a blue Brompton."));

        var turn = await world.Primary(model).SendAsync("Which bike do I have?");

        var result = Assert.Single(model.Calls[1].ToolResults).Result?.ToString();
        Assert.Contains("user: My bike is a blue Brompton.", result, StringComparison.Ordinal);
        Assert.DoesNotContain("red", result, StringComparison.Ordinal);
        Assert.DoesNotContain("weather", result, StringComparison.Ordinal);
        Assert.Equal("It is a blue Brompton.", turn.AssistantMessage.Text);
    }

    [Fact]
    public async Task Archival_search_and_user_tools_are_offered_and_invoked()
    {
        await using var world = await AgentWorld.CreateAsync(new ScriptedChatClient());
        var archival = new ArchivalMemory(world.Stores.Archival);
        await archival.InsertAsync(world.Agent.Id, "Ada's passport expires in June 2027.");
        await archival.InsertAsync(world.Agent.Id, "Ada likes the opera.");
        var asked = new List<string>();
        var weather = AIFunctionFactory.Create(([Description("City")] string city) =>
        {
            asked.Add(city);
            return $"Sunny in {city}";
        }, "get_weather", "Weather now in a city.");
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("archival_memory_search", new { query = "passport" }), ("get_weather", new { city = "Oslo" })),
            ScriptedReply.Text("Your passport is fine until June 2027, and it is sunny."));

        await world.Primary(model, new PrimaryAgentOptions { Archival = archival, Tools = [weather] }).SendAsync("Can I travel to Oslo?");

        Assert.Equal(["conversation_search", "archival_memory_search", "get_weather"], model.Calls[0].Options!.Tools!.Select(t => t.Name));
        var results = model.Calls[1].ToolResults.Select(r => r.Result?.ToString()).ToList();
        Assert.Equal("- Ada's passport expires in June 2027.", results[0]);
        Assert.Contains("Sunny in Oslo", results[1], StringComparison.Ordinal);
        Assert.Equal(["Oslo"], asked);
    }

    [Fact]
    public async Task A_turn_tells_the_scheduler_and_the_sleep_time_agent_runs_in_the_background()
    {
        var sleepModel = new ScriptedChatClient(ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(sleepModel, schedule: AgentWorld.ManualOnly with { EveryTurns = 1 });
        var agent = world.Primary(new ScriptedChatClient(ScriptedReply.Text("Noted!"), ScriptedReply.Text("Tea it is.")));

        var turn = await agent.SendAsync("I like tea.");
        await world.IdleAsync();
        var next = await agent.SendAsync("What do I like?");

        var changeSet = Assert.Single(await world.Stores.ChangeSets.ListAsync(world.Agent.Id));
        Assert.Equal([turn.UserMessage.Id, turn.AssistantMessage.Id], changeSet.SourceMessageIds);
        Assert.Equal(2, next.BlockVersions[world.Human.Id]);
    }

    [Fact]
    public async Task A_block_shared_by_two_primary_agents_shows_one_agents_sleep_time_edits_to_the_other()
    {
        var sleepModel = new ScriptedChatClient(ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Likes tea" }), ("memory_finish_edits", null)));
        await using var world = await AgentWorld.CreateAsync(sleepModel);
        var project = await world.Stores.Blocks.CreateAsync(new NewBlock("project", "Launch: 2025-05-01"), "user");
        await world.Stores.Agents.AttachBlockAsync(world.Agent.Id, project.Id);
        var other = await world.Stores.Agents.CreateAgentAsync("work assistant", "You help at work.", [world.Human.Id, project.Id]);
        await world.TalkAsync("I like tea.");
        await world.RunNowAsync();
        var otherModel = new ScriptedChatClient(ScriptedReply.Text("Tea is on the list."));

        var turn = await new PrimaryAgent(other.Id, otherModel, world.Stores).SendAsync("What do I drink?");

        Assert.Contains("Name: Ada\nLikes tea\n</human>", otherModel.Calls[0].Messages[0].Text, StringComparison.Ordinal);
        Assert.Contains("Launch: 2025-05-01", otherModel.Calls[0].Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal(2, turn.BlockVersions[world.Human.Id]);
        Assert.Empty(await world.Stores.Messages.ListAsync(other.Id, 2));
    }

    [Fact]
    public async Task Empty_messages_and_unknown_agents_are_refused()
    {
        await using var world = await AgentWorld.CreateAsync(new ScriptedChatClient());
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => world.Primary(new ScriptedChatClient()).SendAsync(" "));
        await Assert.ThrowsAsync<AgentNotFoundException>(() => new PrimaryAgent("agent-nope", new ScriptedChatClient(), world.Stores).SendAsync("hi"));
    }
}
