using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.Tests.Codebases;

public sealed class CodebaseTaskAgentTests
{
    [Fact]
    public async Task Answers_with_the_tools_and_parses_the_files_of_the_answer()
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var codebase = await Codebase.OpenAsync(dir.Repository, dir.Fixture.BaseCommit);
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("search_code", new { pattern = "order_total" })),
            ScriptedReply.Text("Pricing and the route change.\nFILES:\n- app/services/pricing.py\n2. `app/routes/orders.py`\n"));

        var answer = await new CodebaseTaskAgent(model).AnswerAsync(codebase, "Which files must change to add discount codes?", budget: new CodebaseTaskBudget(MaxSteps: 5));

        Assert.Equal(["app/services/pricing.py", "app/routes/orders.py"], answer.Files);
        Assert.Equal(2, answer.Steps);
        Assert.Equal(1, answer.ToolCalls);
        Assert.Equal(240, answer.Usage.TotalTokens);
        Assert.Contains("app/routes/orders.py:4: from app.services.pricing import order_total", (string)model.Calls[1].ToolResults.Single().Result!, StringComparison.Ordinal);
        Assert.DoesNotContain("<learned_context>", model.Calls[0].Messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_learned_context_is_in_the_prompt_and_the_last_step_answers_without_tools()
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var codebase = await Codebase.OpenAsync(dir.Repository, dir.Fixture.BaseCommit);
        var learned = new LearnedContext("shop", 3, [Block.OfLearned("shop", "codebase", "orders: app/routes/orders.py", 1000, 3, DateTimeOffset.UnixEpoch, "test")],
            new LearnedContextProvenance(1, null, "codebase-sleep", 1, 1, false, null, TokenUsage.Zero, DateTimeOffset.UnixEpoch));
        var model = new ScriptedChatClient(
            ScriptedReply.ToolCalls(("read_file", new { path = "app/routes/orders.py" })),
            ScriptedReply.Text("FILES:\napp/routes/orders.py"));

        var answer = await new CodebaseTaskAgent(model).AnswerAsync(codebase, "Where are orders placed?", learned, new CodebaseTaskBudget(MaxSteps: 2));

        Assert.Contains("<learned_context>\norders: app/routes/orders.py\n</learned_context>", model.Calls[0].Messages[0].Text, StringComparison.Ordinal);
        Assert.NotNull(model.Calls[0].Options!.Tools);
        Assert.Null(model.Calls[1].Options!.Tools);
        Assert.StartsWith("Your step budget is spent.", model.Calls[1].LastUserText, StringComparison.Ordinal);
        Assert.Equal(["app/routes/orders.py"], answer.Files);
        Assert.Equal(3, answer.LearnedContextVersion);
    }

    [Fact]
    public async Task A_token_budget_stops_the_task_with_no_files()
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var codebase = await Codebase.OpenAsync(dir.Repository, dir.Fixture.BaseCommit);
        var model = new ScriptedChatClient(ScriptedReply.ToolCallsWithUsage(900, 20, ("list_files", null)), ScriptedReply.Text("FILES:\napp/main.py"));

        var answer = await new CodebaseTaskAgent(model).AnswerAsync(codebase, "Which files?", budget: new CodebaseTaskBudget(MaxSteps: 5, MaxTokens: 500));

        Assert.Equal("over_budget", answer.StoppedBy);
        Assert.Empty(answer.Files);
        Assert.Equal(1, model.CallCount);
    }

    [Theory]
    [InlineData("FILES:\n- app/a.py\n- app/a.py\n* `b/c.ts`, \n1) ./d/e.cs (new)\n", new[] { "app/a.py", "b/c.ts", "d/e.cs" })]
    [InlineData("Change app/x.py and then lib/y.go.", new[] { "app/x.py", "lib/y.go" })]
    [InlineData("FILES:\n../etc/passwd\nnot a path\n", new string[0])]
    [InlineData("", new string[0])]
    public void Parses_the_file_list_of_an_answer(string text, string[] files) => Assert.Equal(files, AnswerFiles.Parse(text));
}
