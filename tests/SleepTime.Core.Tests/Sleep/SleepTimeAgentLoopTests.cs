using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.Tests.Sleep;

public sealed class SleepTimeAgentLoopTests
{
    private static readonly DateTimeOffset Now = new(2025, 4, 17, 9, 30, 0, TimeSpan.Zero);

    private static Block Block(string label, string value, int limit = 200, bool readOnly = false) =>
        new($"block-{label}", label, null, value, limit, readOnly, 3, Now, "user");

    private static SleepTimeInput Input(params Block[] blocks) =>
        new(blocks, [new AgentMessage("msg-1", "agent-1", 1, ChatRole.User, "I moved to Bergen last week.", 8, Now)], []);

    private static SleepTimeAgentLoop Loop(IChatClient model, SleepTimeLoopOptions? options = null) =>
        new(model, options, timeProvider: new FixedClock(Now));

    private static ChatResponse Insert(string text) => ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text }));

    private static ChatResponse FinishEdits() => ScriptedReply.ToolCalls(("memory_finish_edits", null));

    [Fact]
    public async Task The_model_sees_numbered_blocks_an_absolute_date_and_the_transcript_and_its_edits_become_a_proposed_change()
    {
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Moved to Bergen in April 2025", line = 1 })),
            ScriptedReply.ToolCalls(("memory_replace", new { label = "human", old_text = "Ada", new_text = "Ada Lovelace" }), ("memory_finish_edits", null)));

        var outcome = await Loop(model).RunAsync(Input(Block("human", "Name: Ada\nLikes tea")));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.True(outcome.Finished);
        Assert.Null(outcome.FailureReason);
        var system = model.Calls[0].Messages[0].Text;
        Assert.Contains("2025-04-17 (Thursday)", system, StringComparison.Ordinal);
        Assert.Contains("never relative words such as \"today\"", system, StringComparison.Ordinal);
        Assert.Contains("1: Name: Ada\n2: Likes tea", model.Calls[0].LastUserText, StringComparison.Ordinal);
        Assert.Contains("user: I moved to Bergen last week.", model.Calls[0].LastUserText, StringComparison.Ordinal);
        Assert.Equal(["memory_insert", "memory_replace", "memory_rethink", "memory_finish_edits"], model.Calls[0].Options!.Tools!.Select(t => t.Name));
        var insertSchema = ((AIFunctionDeclaration)model.Calls[0].Options!.Tools![0]).JsonSchema;
        Assert.Equal(["label", "text"], insertSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("integer", insertSchema.GetProperty("properties").GetProperty("line").GetProperty("type").GetString());

        var change = Assert.Single(outcome.Changes);
        Assert.Equal(("block-human", 3L, BlockChangeState.Proposed), (change.BlockId, change.BaseVersion, change.State));
        Assert.Equal("Name: Ada Lovelace\nMoved to Bergen in April 2025\nLikes tea", change.After);
        Assert.Contains("+Moved to Bergen in April 2025", change.Diff, StringComparison.Ordinal);
        Assert.Equal([typeof(InsertEdit), typeof(ReplaceEdit)], change.Edits.Select(e => e.GetType()));
        Assert.Equal("Name: Ada", ((InsertEdit)change.Edits[0]).AnchorLine);
        Assert.Equal(new TokenUsage(200, 40), outcome.Usage);
        Assert.Equal((2, ScriptedReply.ModelId), (outcome.ModelCalls, outcome.Model));
        Assert.Equal("sleep-time-agent.v1", outcome.PromptVersion);
    }

    [Theory]
    [InlineData("memory_replace", "{\"label\":\"nope\",\"old_text\":\"a\",\"new_text\":\"b\"}", "there is no block labelled 'nope'")]
    [InlineData("memory_replace", "{\"label\":\"persona\",\"old_text\":\"I\",\"new_text\":\"We\"}", "block 'persona' is read-only")]
    [InlineData("memory_replace", "{\"label\":\"human\",\"old_text\":\"Bob\",\"new_text\":\"b\"}", "was not found")]
    [InlineData("memory_replace", "{\"label\":\"human\",\"old_text\":\"a\",\"new_text\":\"b\"}", "occurs 2 times")]
    [InlineData("memory_replace", "{\"label\":\"human\",\"old\":\"Ada\",\"new\":\"Bob\"}", "old_text and new_text are required")]
    [InlineData("memory_rethink", "{\"label\":\"human\",\"new_value\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}", "over its limit of 40")]
    [InlineData("memory_insert", "{\"label\":\"human\",\"text\":\"x\",\"line\":9}", "out of range")]
    [InlineData("memory_insert", "{\"label\":\"human\",\"text\":\"x\",\"line\":\"two\"}", "line must be a whole number")]
    [InlineData("memory_insert", "{\"label\":\"human\",\"text\":\"[confirmed] I am sure\"}", "only a person can mark a line")]
    [InlineData("memory_delete", "{}", "\"memory_delete\" not found")]
    public async Task Invalid_edits_are_returned_to_the_model_as_tool_errors_and_change_nothing(string tool, string json, string expected)
    {
        var arguments = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!;
        var model = new ScriptedChatClient(
            new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", tool, arguments)])) { ModelId = "m" },
            FinishEdits());

        var outcome = await Loop(model).RunAsync(Input(Block("human", "Name: Ada", limit: 40), Block("persona", "I am helpful", readOnly: true)));

        // The model saw its error and then said it was finished: a no-op, with the error counted.
        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Empty(outcome.Changes);
        Assert.Equal(1, outcome.ToolErrors);
        var result = Assert.Single(model.Calls[1].ToolResults);
        Assert.StartsWith("Error: ", result.Result as string, StringComparison.Ordinal);
        Assert.Contains(expected, result.Result as string, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_a_confirmed_line_is_allowed_but_flagged_for_review()
    {
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("memory_replace", new { label = "human", old_text = "[confirmed] Lives in Oslo", new_text = "Lives in Bergen" })),
            FinishEdits());

        var outcome = await Loop(model).RunAsync(Input(Block("human", "Name: Ada\n[confirmed] Lives in Oslo")));

        Assert.Equal("Name: Ada\nLives in Bergen", Assert.Single(outcome.Changes).After);
        Assert.Contains("held for a person to review", model.Calls[1].ToolResults[0].Result as string, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_never_calls_a_tool_is_reminded_once_and_then_the_run_fails()
    {
        var model = new ScriptedChatClient(ScriptedReply.Text("The user moved."), ScriptedReply.Text("Still text."));

        var outcome = await Loop(model).RunAsync(Input(Block("human", "Name: Ada")));

        Assert.False(outcome.Succeeded);
        Assert.Equal(SleepFailureReason.NoToolCalls, outcome.FailureReason);
        Assert.Contains("never called a tool", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(outcome.Changes);
        Assert.Equal(2, model.CallCount);
        Assert.Contains("Only tool calls are kept", model.Calls[1].LastUserText, StringComparison.Ordinal);
        Assert.Equal(new TokenUsage(200, 40), outcome.Usage);
    }

    [Fact]
    public async Task Every_edit_failing_without_a_finish_fails_the_run_with_the_last_tool_error()
    {
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("memory_replace", new { label = "human", old = "Ada", @new = "Ada Lovelace" })),
            ScriptedReply.ToolCalls(("memory_insert", new { block = "human", content = "Moved to Bergen" })),
            ScriptedReply.Text("I could not update the memory."),
            ScriptedReply.Text("Still nothing."));

        var outcome = await Loop(model).RunAsync(Input(Block("human", "Name: Ada")));

        Assert.False(outcome.Succeeded);
        Assert.Equal(SleepFailureReason.ToolErrors, outcome.FailureReason);
        Assert.Equal(2, outcome.ToolErrors);
        Assert.Contains("there is no block labelled ''", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing", outcome.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(outcome.Changes);
        Assert.Equal(4, model.CallCount);
    }

    [Fact]
    public async Task An_explicit_finish_without_edits_is_a_successful_no_op()
    {
        var model = new ScriptedChatClient(FinishEdits());

        var outcome = await Loop(model).RunAsync(Input(Block("human", "Name: Ada")));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.True(outcome.Finished);
        Assert.Empty(outcome.Changes);
        Assert.Equal((0, 1), (outcome.ToolErrors, model.CallCount));
        Assert.Null(outcome.FailureReason);
    }

    [Fact]
    public async Task A_finish_listed_before_an_edit_in_the_same_reply_ends_the_run_after_that_edit()
    {
        var model = new ScriptedChatClient(ScriptedReply.ToolCalls(("memory_finish_edits", null), ("memory_insert", new { label = "human", text = "Moved to Bergen" })));

        var outcome = await Loop(model).RunAsync(Input(Block("human", "Name: Ada")));

        Assert.True(outcome.Finished);
        Assert.Equal("Name: Ada\nMoved to Bergen", Assert.Single(outcome.Changes).After);
        Assert.Equal(1, model.CallCount);
    }

    [Fact]
    public async Task A_model_that_edits_then_replies_in_text_has_finished_implicitly()
    {
        var model = new ScriptedChatClient(Insert("Moved to Bergen"), ScriptedReply.Text("Done."));

        var outcome = await Loop(model).RunAsync(Input(Block("human", "Name: Ada")));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.False(outcome.Finished);
        Assert.Equal("Name: Ada\nMoved to Bergen", Assert.Single(outcome.Changes).After);
        Assert.Equal(2, model.CallCount);
    }

    [Fact]
    public async Task The_run_makes_at_most_the_maximum_number_of_model_calls_and_the_last_calls_edits_are_not_run()
    {
        var edits = 0;
        var model = new ScriptedChatClient(_ => Insert($"fact {++edits}"));

        var outcome = await Loop(model, new SleepTimeLoopOptions { MaxModelCalls = 3 }).RunAsync(Input(Block("human", "Name: Ada")));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal((3, 3), (model.CallCount, outcome.ModelCalls));
        Assert.Equal("Name: Ada\nfact 1\nfact 2", Assert.Single(outcome.Changes).After);
    }

    [Fact]
    public async Task A_call_that_crosses_the_token_budget_ends_the_run_over_budget_with_no_changes()
    {
        var model = new ScriptedChatClient(_ => Insert("Moved to Bergen"));

        var outcome = await Loop(model, new SleepTimeLoopOptions { MaxTotalTokens = 150 }).RunAsync(Input(Block("human", "Name: Ada")));

        Assert.False(outcome.Succeeded);
        Assert.Equal(SleepFailureReason.OverBudget, outcome.FailureReason);
        Assert.Empty(outcome.Changes);
        Assert.Equal(2, model.CallCount);
        Assert.Equal((new TokenUsage(200, 40), 2), (outcome.Usage, outcome.ModelCalls));
        Assert.Contains("150", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spent_token_budget_makes_no_model_call()
    {
        var model = new ScriptedChatClient(_ => FinishEdits());

        var outcome = await Loop(model, new SleepTimeLoopOptions { MaxTotalTokens = 0 }).RunAsync(Input(Block("human", "Name: Ada")));

        Assert.Equal(SleepFailureReason.OverBudget, outcome.FailureReason);
        Assert.Equal((0, 0, TokenUsage.Zero), (model.CallCount, outcome.ModelCalls, outcome.Usage));
    }

    [Fact]
    public async Task A_failing_model_call_is_a_failed_outcome_with_the_reason()
    {
        var model = new ScriptedChatClient().ThenThrow(new HttpRequestException("connection refused"));

        var outcome = await Loop(model).RunAsync(Input(Block("human", "Name: Ada")));

        Assert.False(outcome.Succeeded);
        Assert.Equal(SleepFailureReason.ProviderError, outcome.FailureReason);
        Assert.Contains("connection refused", outcome.Error, StringComparison.Ordinal);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
