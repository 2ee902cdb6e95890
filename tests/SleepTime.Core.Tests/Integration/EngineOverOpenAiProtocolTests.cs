using System.Text.Json;
using Microsoft.Extensions.AI;
using SleepTime.Testing;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Tests.Integration;

/// <summary>
/// The engine driven through the official OpenAI .NET SDK against an in-process server that speaks the chat
/// completions protocol: tool calls, tool results, usage fields and budgets as they travel on the wire.
/// </summary>
public sealed class EngineOverOpenAiProtocolTests : IAsyncLifetime
{
    private FakeOpenAiServer server = null!;

    public async Task InitializeAsync() => server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task The_sleep_tool_loop_and_a_budgeted_query_work_over_the_real_protocol()
    {
        server.Enqueue(
            FakeReply.ToolCalls(("rethink_memory", JsonSerializer.Serialize(new { new_memory = "rolls_per_day = 12 * 24 = 288" }))),
            FakeReply.ToolCalls(("finish_rethinking_memory", "{}")),
            FakeReply.Text("The answer is 288.", promptTokens: 950, completionTokens: 6, cachedTokens: 768));
        var engine = SleepTimeEngine.Create(server.CreateChatClient());
        var context = await engine.AddDocumentAsync("A bakery bakes 12 trays of 24 rolls every morning.");

        var sleep = await engine.SleepAsync(context.Id, new SleepOptions { Variant = SleepPromptVariant.Math, ReasoningEffort = ReasoningEffort.High });
        var answer = await engine.AskAsync(context.Id, "How many rolls a day?", new AnswerBudget(0, maxOutputTokens: 32, ReasoningEffort.Low));

        Assert.True(sleep.Succeeded, sleep.Error);
        Assert.Equal("rolls_per_day = 12 * 24 = 288", sleep.LearnedContext!.Blocks[0].Value);
        Assert.Equal(new TokenUsage(2 * FakeReply.DefaultPromptTokens, 2 * FakeReply.DefaultCompletionTokens), sleep.Usage);

        var requests = server.ChatRequests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(["rethink_memory", "finish_rethinking_memory"], requests[0].Tools.Select(t => t.Name));
        Assert.Equal("high", requests[0].ReasoningEffort);
        var toolCallId = requests[1].Messages.Single(m => m.Role == "assistant").ToolCalls.Single().Id;
        var toolResult = requests[1].Messages.Single(m => m.Role == "tool");
        Assert.Equal(toolCallId, toolResult.ToolCallId);
        Assert.Contains("Memory updated", toolResult.Content, StringComparison.Ordinal);

        Assert.Equal("288", answer.FinalAnswer);
        Assert.Equal(new TokenUsage(950, 6, 0, 768), answer.Usage);
        Assert.Equal(32, requests[2].MaxTokens);
        Assert.Equal("low", requests[2].ReasoningEffort);
        Assert.Empty(requests[2].Tools);
        Assert.Contains("rolls_per_day = 12 * 24 = 288", requests[2].LastUserText, StringComparison.Ordinal);
        Assert.EndsWith("Question: How many rolls a day?", requests[2].LastUserText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_reports_no_usage_gets_estimated_counts()
    {
        server.Enqueue(FakeReply.NoUsage("The answer is 7."));
        var engine = SleepTimeEngine.Create(server.CreateChatClient());
        var context = await engine.AddDocumentAsync("Ann has 3 apples and buys 4 more.");

        var answer = await engine.AskAsync(context.Id, "How many apples?");

        Assert.True(answer.Usage.Estimated);
        Assert.Equal(O200kTokenCounter.Instance.CountTokens("The answer is 7."), answer.Usage.OutputTokens);
        Assert.True(answer.Usage.InputTokens > 20);
    }

    [Fact]
    public async Task A_provider_error_during_sleep_is_a_recorded_failure_and_keeps_the_old_learned_context()
    {
        server.Enqueue(
            FakeReply.ToolCalls(("rethink_memory", JsonSerializer.Serialize(new { new_memory = "v1" })), ("finish_rethinking_memory", "{}")),
            FakeReply.Error(500, message: "upstream exploded"));
        var engine = SleepTimeEngine.Create(server.CreateChatClient());
        var context = await engine.AddDocumentAsync("first");
        await engine.SleepAsync(context.Id);
        await engine.AppendAsync(context.Id, "second");

        var failed = await engine.SleepAsync(context.Id);

        Assert.Equal(SleepFailureReason.ProviderError, failed.FailureReason);
        Assert.Contains("500", failed.Error, StringComparison.Ordinal);
        Assert.Equal("v1", (await engine.GetLearnedContextAsync(context.Id))!.Blocks[0].Value);
    }
}
