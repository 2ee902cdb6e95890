using SleepTime.Testing;

namespace SleepTime.Tests.Engine;

public class SleepTimeEngineTests
{
    [Fact]
    public async Task A_context_learned_while_idle_answers_from_its_learned_context()
    {
        var sleepModel = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("total_apples = 3 + 4 = 7"));
        var testModel = new ScriptedChatClient(ScriptedReply.Text("The answer is 7."));
        var engine = new SleepTimeEngine(sleepModel, testModel);

        var context = await engine.AddDocumentAsync("Ann has 3 apples. She buys 4 more.");
        var sleep = await engine.SleepAsync(context.Id, new SleepOptions { Variant = SleepPromptVariant.Math });
        var answer = await engine.AskAsync(context.Id, "How many apples does Ann have?", AnswerBudget.Level(0));

        Assert.True(sleep.Succeeded);
        Assert.Equal("7", answer.FinalAnswer);
        Assert.Equal(sleep.LearnedContext!.Version, answer.LearnedContextVersion);
        Assert.Contains("total_apples = 3 + 4 = 7", testModel.Calls[0].Messages[1].Text, StringComparison.Ordinal);
        Assert.Equal(sleep.LearnedContext, await engine.GetLearnedContextAsync(context.Id));
    }

    [Fact]
    public async Task A_failed_sleep_leaves_the_previous_learned_context_untouched()
    {
        var sleepModel = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("good memory"))
            .ThenThrow(new HttpRequestException("503 Service Unavailable"));
        var engine = SleepTimeEngine.Create(sleepModel);
        var context = await engine.AddDocumentAsync("first part");
        var good = await engine.SleepAsync(context.Id);
        await engine.AppendAsync(context.Id, "second part");

        var failed = await engine.SleepAsync(context.Id);

        Assert.Equal(SleepStatus.Failed, failed.Status);
        Assert.Equal(SleepFailureReason.ProviderError, failed.FailureReason);
        Assert.Equal(good.LearnedContext, await engine.GetLearnedContextAsync(context.Id));
        Assert.Single(await engine.LearnedContexts.GetHistoryAsync(context.Id));
    }

    [Fact]
    public async Task A_cancelled_sleep_commits_nothing()
    {
        using var cts = new CancellationTokenSource();
        var sleepModel = new ScriptedChatClient().Then((_, _) =>
        {
            cts.Cancel();
            return Task.FromResult(ScriptedReply.RethinkAndFinish("should never be stored"));
        });
        var engine = SleepTimeEngine.Create(sleepModel);
        var context = await engine.AddDocumentAsync("text");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.SleepAsync(context.Id, cancellationToken: cts.Token));

        Assert.Null(await engine.GetLearnedContextAsync(context.Id));
    }

    [Fact]
    public async Task A_sleep_that_loses_the_race_to_another_commit_is_discarded()
    {
        var store = new InMemoryContextStore();
        var sleepModel = new ScriptedChatClient().Then(async (_, _) =>
        {
            // While this sleep is thinking, another one commits version 1.
            var rival = Contexts.InMemoryContextStoreTests.Learned("race", 1, "rival memory");
            Assert.True(await store.TryCommitAsync(rival, null));
            return ScriptedReply.RethinkAndFinish("late memory");
        });
        var engine = SleepTimeEngine.Create(sleepModel, new SleepTimeEngineOptions { Contexts = store, LearnedContexts = store });
        await engine.AddDocumentAsync("text", "race");

        var result = await engine.SleepAsync("race");

        Assert.Equal(SleepFailureReason.Conflict, result.FailureReason);
        Assert.Equal("rival memory", (await engine.GetLearnedContextAsync("race"))!.Blocks[0].Value);
    }

    [Fact]
    public async Task A_grown_conversation_is_learned_incrementally()
    {
        var sleepModel = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("User likes tea."), ScriptedReply.RethinkAndFinish("User likes tea; lives in Oslo."));
        var engine = SleepTimeEngine.Create(sleepModel);
        var conversation = await engine.AddConversationAsync([ContextInput.Turn("user", "I love tea."), ContextInput.Turn("assistant", "Noted!")]);
        await engine.SleepAsync(conversation.Id);
        await engine.AppendAsync(conversation.Id, [ContextInput.Turn("user", "I just moved to Oslo.")]);

        var second = await engine.SleepAsync(conversation.Id);

        var input = sleepModel.Calls[1].LastUserText;
        Assert.Contains("User likes tea.", input, StringComparison.Ordinal);
        Assert.Contains("user: I just moved to Oslo.", input, StringComparison.Ordinal);
        Assert.DoesNotContain("I love tea.", input, StringComparison.Ordinal);
        Assert.Equal(2, second.LearnedContext!.Version);
        Assert.Equal(2, second.LearnedContext.Provenance.SourceVersion);
    }

    [Fact]
    public async Task Asking_before_any_sleep_falls_back_to_the_raw_context()
    {
        var testModel = new ScriptedChatClient(ScriptedReply.Text("The answer is 3."));
        var engine = new SleepTimeEngine(new ScriptedChatClient(), testModel);
        var context = await engine.AddDocumentAsync("Ann has 3 apples.");

        var answer = await engine.AskAsync(context.Id, "How many apples?", new AskOptions { IncludeRawContext = false });

        Assert.Null(answer.LearnedContextVersion);
        Assert.Contains("Ann has 3 apples.", testModel.Calls[0].Messages[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_contexts_and_empty_questions_are_clear_errors()
    {
        var engine = SleepTimeEngine.Create(new ScriptedChatClient());
        var context = await engine.AddDocumentAsync("text");

        await Assert.ThrowsAsync<ContextNotFoundException>(() => engine.SleepAsync("missing"));
        await Assert.ThrowsAsync<ContextNotFoundException>(() => engine.AskAsync("missing", "why?"));
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => engine.AskAsync(context.Id, " "));
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => engine.AddDocumentAsync(""));
    }
}
