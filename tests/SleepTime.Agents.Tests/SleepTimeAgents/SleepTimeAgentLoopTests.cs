using Microsoft.Extensions.AI;
using SleepTime.Agents.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Agents.Tests.SleepTimeAgents;

public sealed class SleepTimeAgentLoopTests
{
    private static readonly DateTimeOffset Now = new(2025, 4, 17, 9, 30, 0, TimeSpan.Zero);

    private static Block Block(string label, string value, int limit = 200, bool readOnly = false) =>
        new($"block-{label}", label, null, value, limit, readOnly, 3, Now, "user");

    private static SleepTimeInput Input(params Block[] blocks) =>
        new(blocks, [new AgentMessage("msg-1", "agent-1", 1, ChatRole.User, "I moved to Bergen last week.", 8, Now)], []);

    [Fact]
    public async Task The_model_sees_numbered_blocks_an_absolute_date_and_the_transcript_and_its_edits_become_a_proposed_change()
    {
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Moved to Bergen in April 2025", line = 1 })),
            ScriptedReply.ToolCalls(("memory_replace", new { label = "human", old_text = "Ada", new_text = "Ada Lovelace" }), ("memory_finish_edits", null)));
        var loop = new SleepTimeAgentLoop(model, timeProvider: new ManualTimeProvider(Now));

        var outcome = await loop.RunAsync(Input(Block("human", "Name: Ada\nLikes tea")));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.True(outcome.Finished);
        var system = model.Calls[0].Messages[0].Text;
        Assert.Contains("2025-04-17 (Thursday)", system, StringComparison.Ordinal);
        Assert.Contains("never relative words such as \"today\"", system, StringComparison.Ordinal);
        Assert.Contains("1: Name: Ada\n2: Likes tea", model.Calls[0].LastUserText, StringComparison.Ordinal);
        Assert.Contains("user: I moved to Bergen last week.", model.Calls[0].LastUserText, StringComparison.Ordinal);
        Assert.Equal(["memory_insert", "memory_replace", "memory_rethink", "memory_finish_edits"], model.Calls[0].Options!.Tools!.Select(t => t.Name));

        var change = Assert.Single(outcome.Changes);
        Assert.Equal(("block-human", 3L, BlockChangeState.Proposed), (change.BlockId, change.BaseVersion, change.State));
        Assert.Equal("Name: Ada Lovelace\nMoved to Bergen in April 2025\nLikes tea", change.After);
        Assert.Contains("+Moved to Bergen in April 2025", change.Diff, StringComparison.Ordinal);
        Assert.Equal([typeof(InsertEdit), typeof(ReplaceEdit)], change.Edits.Select(e => e.GetType()));
        Assert.Equal("Name: Ada", ((InsertEdit)change.Edits[0]).AnchorLine);
        Assert.Equal(new TokenUsage(200, 40), outcome.Usage);
        Assert.Equal("sleep-time-agent.v1", outcome.PromptVersion);
    }

    [Theory]
    [InlineData("memory_replace", "{\"label\":\"nope\",\"old_text\":\"a\",\"new_text\":\"b\"}", "there is no block labelled 'nope'")]
    [InlineData("memory_replace", "{\"label\":\"persona\",\"old_text\":\"I\",\"new_text\":\"We\"}", "block 'persona' is read-only")]
    [InlineData("memory_replace", "{\"label\":\"human\",\"old_text\":\"Bob\",\"new_text\":\"b\"}", "was not found")]
    [InlineData("memory_replace", "{\"label\":\"human\",\"old_text\":\"a\",\"new_text\":\"b\"}", "occurs 2 times")]
    [InlineData("memory_rethink", "{\"label\":\"human\",\"new_value\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}", "over its limit of 40")]
    [InlineData("memory_insert", "{\"label\":\"human\",\"text\":\"x\",\"line\":9}", "out of range")]
    [InlineData("memory_insert", "{\"label\":\"human\",\"text\":\"[confirmed] I am sure\"}", "only a person can mark a line")]
    [InlineData("memory_delete", "{}", "there is no tool 'memory_delete'")]
    public async Task Invalid_edits_are_returned_to_the_model_as_tool_errors_and_change_nothing(string tool, string json, string expected)
    {
        var arguments = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!;
        var model = new ScriptedChatClient(
            new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", tool, arguments)])) { ModelId = "m" },
            ScriptedReply.ToolCalls(("memory_finish_edits", null)));
        var loop = new SleepTimeAgentLoop(model, timeProvider: new ManualTimeProvider(Now));

        var outcome = await loop.RunAsync(Input(Block("human", "Name: Ada", limit: 40), Block("persona", "I am helpful", readOnly: true)));

        Assert.True(outcome.Succeeded);
        Assert.Empty(outcome.Changes);
        Assert.Equal(1, outcome.ToolErrors);
        var result = Assert.Single(model.Calls[1].ToolResults);
        Assert.StartsWith("Error: ", result.Result as string, StringComparison.Ordinal);
        Assert.Contains(expected, result.Result as string, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_answers_in_text_is_reminded_once_and_then_the_run_ends_without_changes()
    {
        var model = new ScriptedChatClient(ScriptedReply.Text("The user moved."), ScriptedReply.Text("Still text."));

        var outcome = await new SleepTimeAgentLoop(model).RunAsync(Input(Block("human", "Name: Ada")));

        Assert.True(outcome.Succeeded);
        Assert.Empty(outcome.Changes);
        Assert.Equal(2, model.CallCount);
        Assert.Contains("Only tool calls are kept", model.Calls[1].LastUserText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_model_call_is_a_failed_outcome_with_the_reason()
    {
        var model = new ScriptedChatClient().ThenThrow(new HttpRequestException("connection refused"));

        var outcome = await new SleepTimeAgentLoop(model).RunAsync(Input(Block("human", "Name: Ada")));

        Assert.False(outcome.Succeeded);
        Assert.Contains("connection refused", outcome.Error, StringComparison.Ordinal);
    }
}
