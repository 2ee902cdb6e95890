using Microsoft.Extensions.AI;
using SleepTime.Testing;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Tests.Answering;

/// <summary>The test phase answering a client's own chat (the OpenAI facade's path), whole or streamed.</summary>
public class TestPhaseChatTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;
    private static readonly ContextSnapshot Context = new("ctx", ContextKind.Document, 4, 1, [new ContextEntry(1, "Ann has 3 apples and buys 4 more.", null, Now)], Now, Now);
    private static readonly LearnedContext Learned = new(
        "ctx", 2, [Block.OfLearned("ctx", "learned_context", "apples_now = 3 + 4 = 7", 8000)],
        new LearnedContextProvenance(4, "m", "sleep-math", 1, 1, false, 1, TokenUsage.Zero, Now));

    [Fact]
    public async Task The_learned_context_leads_in_one_system_message_and_the_clients_messages_and_options_follow_unchanged()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.Text("Seven."));
        var phase = new TestPhase(model);
        var options = new ChatOptions { Temperature = 0.1f, ToolMode = ChatToolMode.None };
        ChatMessage[] first = [new(ChatRole.System, "Be terse."), new(ChatRole.User, "How many apples?")];
        ChatMessage[] second = [new(ChatRole.User, "And now?")];

        var reply = await phase.ChatAsync(Context, Learned, new ClientChat(first, "How many apples?", options));
        await phase.ChatAsync(Context, Learned, new ClientChat(second, "And now?", options));

        var sent = model.Calls[0].Messages;
        Assert.Equal(first.Select(m => (m.Role, m.Text)), sent.Skip(1).Select(m => (m.Role, m.Text)));
        Assert.Equal(ChatRole.System, sent[0].Role);
        Assert.Equal(sent[0].Text, model.Calls[1].Messages[0].Text);
        Assert.True(sent[0].Text.IndexOf("apples_now", StringComparison.Ordinal) < sent[0].Text.IndexOf("Ann has 3 apples", StringComparison.Ordinal));
        Assert.DoesNotContain("The answer is N", sent[0].Text, StringComparison.Ordinal);
        Assert.Equal((0.1f, ChatToolMode.None), (model.Calls[0].Options!.Temperature, model.Calls[0].Options!.ToolMode));
        Assert.Equal(("How many apples?", "Seven.", 2L), (reply.Answer.Question, reply.Answer.Text, reply.Answer.LearnedContextVersion));
    }

    [Fact]
    public async Task A_verbosity_level_adds_the_papers_instruction()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.Text("The answer is 7."));

        var reply = await new TestPhase(model).ChatAsync(Context, null, new ClientChat([new(ChatRole.User, "How many?")], "How many?", Verbosity: 0));

        Assert.Contains("The answer is N", model.Calls[0].Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal("7", reply.Answer.FinalAnswer);
        Assert.Equal(0, reply.Answer.Budget.Verbosity);
    }

    [Fact]
    public async Task A_streamed_chat_yields_each_chunk_as_it_comes_then_one_completed_reply_with_the_providers_usage()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Text("Ann has seven apples now.", promptTokens: 120, completionTokens: 6));
        var phase = new TestPhase(server.CreateChatClient());

        var updates = new List<AnswerUpdate>();
        await foreach (var update in phase.ChatStreamingAsync(Context, Learned, new ClientChat([new(ChatRole.User, "How many?")], "How many?")))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count(u => u.Chunk is { Text.Length: > 0 }) > 1, "the text should come in several chunks");
        Assert.All(updates[..^1], u => Assert.Null(u.Completed));
        var done = updates[^1].Completed;
        Assert.NotNull(done);
        Assert.Equal("Ann has seven apples now.", string.Concat(updates.Select(u => u.Chunk?.Text)));
        Assert.Equal("Ann has seven apples now.", done.Answer.Text);
        Assert.Equal(new TokenUsage(120, 6), done.Answer.Usage);
    }

    [Fact]
    public async Task A_stream_the_model_breaks_off_never_yields_a_completed_reply()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Text("Ann has seven apples now.").BreakingAfterFirstChunk());
        var phase = new TestPhase(server.CreateChatClient());

        var updates = new List<AnswerUpdate>();
        var failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in phase.ChatStreamingAsync(Context, Learned, new ClientChat([new(ChatRole.User, "How many?")], "How many?")))
            {
                updates.Add(update);
            }
        });

        Assert.NotNull(failure);
        Assert.All(updates, u => Assert.Null(u.Completed));
    }
}
