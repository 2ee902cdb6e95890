using SleepTime.Testing;

namespace SleepTime.Tests.Codebases;

public sealed class CodebaseContextTests
{
    [Fact]
    public async Task A_new_document_is_studied_alone_without_exploring_again()
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var store = new InMemoryContextStore();
        var model = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("first"), ScriptedReply.RethinkAndFinish("first"));
        var sleeper = new CodebaseSleeper(store, store, new CodebaseSleep(model));
        await sleeper.CreateAsync(dir.Repository, dir.Fixture.BaseCommit, [dir.Fixture.PullRequests[0]], "shop");
        await sleeper.SleepAsync("shop");
        Assert.Equal(2, model.CallCount);

        await sleeper.AddDocumentAsync("shop", CodebaseDocument.Note("Team note", "Money is always in cents."));
        model.Then(ScriptedReply.RethinkAndFinish("first\n- money in cents"));
        var result = await sleeper.SleepAsync("shop");

        Assert.True(result.Sleep.Succeeded, result.Sleep.Error);
        Assert.Equal(["document 1"], result.Stages);
        Assert.Empty(result.Reads);
        var prompt = model.Calls[^1].LastUserText;
        Assert.Contains("Related change 1 of 1", prompt, StringComparison.Ordinal);
        Assert.Contains("Title: Team note\n\nMoney is always in cents.", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain(dir.Fixture.PullRequests[0].Title, prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entries_round_trip_as_revisions_and_documents()
    {
        var store = new InMemoryContextStore();
        var pull = new CodebaseDocument("Add orders", "Orders body", [new CodebaseChange(CodebaseChange.Modified, "app/orders.py", "@@ -1 +1 @@")]);
        var context = await store.CreateAsync(ContextKind.Codebase, [CodebaseContext.Revision(new CodebaseRevision("repo", "abc123")), CodebaseContext.Document(pull), ContextInput.Document("A note\nwith a body")], "c");
        context = await store.AppendAsync("c", [CodebaseContext.Revision(new CodebaseRevision("repo", "def456"))]);

        Assert.Equal(new CodebaseRevision("repo", "abc123"), CodebaseContext.RevisionAt(context, 1));
        Assert.Equal(new CodebaseRevision("repo", "def456"), CodebaseContext.RevisionAt(context));
        var documents = CodebaseContext.DocumentsAfter(context, 0);
        Assert.Equal(2, documents.Count);
        Assert.Equal(pull.Title, documents[0].Title);
        Assert.Equal(pull.ChangedFiles, documents[0].ChangedFiles);
        Assert.Equal(("A note", "with a body", 0), (documents[1].Title, documents[1].Body, documents[1].ChangedFiles.Count));
        Assert.Empty(CodebaseContext.DocumentsAfter(context, 1));
    }
}
