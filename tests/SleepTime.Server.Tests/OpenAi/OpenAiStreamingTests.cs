using System.Text;
using OpenAI.Chat;
using OpenAI.Responses;
using SleepTime.Testing.OpenAiCompatible;

#pragma warning disable OPENAI001 // The Responses client is marked experimental in the SDK.

namespace SleepTime.Server.Tests.OpenAi;

/// <summary>
/// Real streaming, observed with the official SDK: the model behind the facade holds its reply after the first
/// chunk (a gate), so "the client already has a chunk while the model has not finished" is an ordering fact.
/// </summary>
public sealed class OpenAiStreamingTests : IAsyncLifetime
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private FacadeOverFakeModel facade = null!;

    public async Task InitializeAsync() => facade = await FacadeOverFakeModel.StartAsync();

    public async Task DisposeAsync() => await facade.DisposeAsync();

    [Fact]
    public async Task The_first_chunk_reaches_the_sdk_before_the_model_has_finished_and_the_turns_are_recorded_after()
    {
        await facade.CreateConversationAsync("talk");
        var gate = new FakeStreamGate();
        facade.Model.Enqueue(FakeReply.Text("Paris is the capital of France.", promptTokens: 40, completionTokens: 9).HeldAfterFirstChunk(gate));

        var chat = facade.Sdk().GetChatClient("ctx:talk");
        await using var updates = chat.CompleteChatStreamingAsync([new UserChatMessage("Capital of France?")]).GetAsyncEnumerator();
        var text = new StringBuilder();
        while (text.Length == 0)
        {
            Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(Guard), "the stream ended before any content");
            text.Append(string.Concat(updates.Current.ContentUpdate.Select(p => p.Text)));
        }

        // The client holds content while the model is still held at its gate: the facade did not wait for the end.
        Assert.False(gate.HasFinished);
        Assert.Equal("Paris", text.ToString());
        Assert.Single(await facade.TurnsAsync("talk"));

        gate.Open();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        while (await updates.MoveNextAsync().AsTask().WaitAsync(Guard))
        {
            text.Append(string.Concat(updates.Current.ContentUpdate.Select(p => p.Text)));
            usage ??= updates.Current.Usage;
            finish ??= updates.Current.FinishReason;
        }

        Assert.Equal("Paris is the capital of France.", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(40, usage.InputTokenCount);
        Assert.Equal(9, usage.OutputTokenCount);
        Assert.Equal([("user", "Hello."), ("user", "Capital of France?"), ("assistant", "Paris is the capital of France.")], await facade.TurnsAsync("talk"));
    }

    [Fact]
    public async Task The_first_text_delta_of_a_response_reaches_the_sdk_before_the_model_has_finished()
    {
        await facade.CreateConversationAsync("resp");
        var gate = new FakeStreamGate();
        facade.Model.Enqueue(FakeReply.Text("Rome was not built in a day.").HeldAfterFirstChunk(gate));

        var client = facade.Sdk().GetResponsesClient();
        var options = new CreateResponseOptions { Model = "ctx:resp", StreamingEnabled = true, InputItems = { ResponseItem.CreateUserMessageItem("Proverb?") } };
        await using var stream = await client.CreateResponseStreamingAsync(options).WaitAsync(Guard);
        await using var updates = ((IAsyncEnumerable<StreamingResponseUpdate>)stream).GetAsyncEnumerator();
        var kinds = new List<string>();
        var text = new StringBuilder();
        while (text.Length == 0)
        {
            Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(Guard), "the stream ended before any text");
            kinds.Add(updates.Current.GetType().Name);
            if (updates.Current is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }
        }

        Assert.False(gate.HasFinished);
        Assert.Equal("Rome", text.ToString());
        Assert.Single(await facade.TurnsAsync("resp"));

        gate.Open();
        ResponseResult? completed = null;
        while (await updates.MoveNextAsync().AsTask().WaitAsync(Guard))
        {
            kinds.Add(updates.Current.GetType().Name);
            switch (updates.Current)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        Assert.Equal("Rome was not built in a day.", text.ToString());
        Assert.Equal(
            ["StreamingResponseCreatedUpdate", "StreamingResponseInProgressUpdate", "StreamingResponseOutputItemAddedUpdate", "StreamingResponseContentPartAddedUpdate", "StreamingResponseOutputTextDeltaUpdate"],
            kinds.Take(5));
        Assert.Equal(
            ["StreamingResponseOutputTextDoneUpdate", "StreamingResponseContentPartDoneUpdate", "StreamingResponseOutputItemDoneUpdate", "StreamingResponseCompletedUpdate"],
            kinds.TakeLast(4));
        Assert.NotNull(completed);
        Assert.Equal(ResponseStatus.Completed, completed.Status);
        Assert.Equal("Rome was not built in a day.", completed.GetOutputText());
        Assert.Equal(FakeReply.DefaultPromptTokens, completed.Usage.InputTokenCount);
        Assert.Equal([("user", "Hello."), ("user", "Proverb?"), ("assistant", "Rome was not built in a day.")], await facade.TurnsAsync("resp"));
    }

    [Fact]
    public async Task A_stream_the_model_breaks_off_fails_in_the_sdk_and_records_nothing()
    {
        await facade.CreateConversationAsync("broken");
        var gate = new FakeStreamGate();
        facade.Model.Enqueue(FakeReply.Text("This answer never ends properly.").HeldAfterFirstChunk(gate).BreakingAfterFirstChunk());

        var chat = facade.Sdk().GetChatClient("ctx:broken");
        var received = new StringBuilder();
        var failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Go on?")]).WithCancellation(new CancellationTokenSource(Guard).Token))
            {
                received.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));

                // The model dies only once the client has its first words (a reset would drop them in flight).
                gate.Open();
            }
        });

        Assert.NotNull(failure);
        Assert.Equal("This", received.ToString());
        Assert.Equal([("user", "Hello.")], await facade.TurnsAsync("broken"));
        Assert.Equal(0, await facade.QueryCountAsync("broken"));
    }

    [Fact]
    public async Task A_response_stream_the_model_breaks_off_ends_in_an_error_not_response_completed_and_records_nothing()
    {
        await facade.CreateConversationAsync("broken-resp");
        var gate = new FakeStreamGate();
        facade.Model.Enqueue(FakeReply.Text("This answer never ends properly.").HeldAfterFirstChunk(gate).BreakingAfterFirstChunk());
        var client = facade.Sdk().GetResponsesClient();
        var options = new CreateResponseOptions { Model = "ctx:broken-resp", StreamingEnabled = true, InputItems = { ResponseItem.CreateUserMessageItem("Go on?") } };

        var kinds = new List<string>();
        var failure = await Record.ExceptionAsync(async () =>
        {
            await using var stream = await client.CreateResponseStreamingAsync(options).WaitAsync(Guard);
            await foreach (var update in ((IAsyncEnumerable<StreamingResponseUpdate>)stream).WithCancellation(new CancellationTokenSource(Guard).Token))
            {
                kinds.Add(update.GetType().Name);
                if (update is StreamingResponseOutputTextDeltaUpdate)
                {
                    gate.Open();
                }
            }
        });

        Assert.Contains("StreamingResponseOutputTextDeltaUpdate", kinds);
        Assert.DoesNotContain("StreamingResponseCompletedUpdate", kinds);
        Assert.True(failure is not null || kinds.Contains("StreamingResponseErrorUpdate"), string.Join(", ", kinds));
        Assert.Equal([("user", "Hello.")], await facade.TurnsAsync("broken-resp"));
        Assert.Equal(0, await facade.QueryCountAsync("broken-resp"));
    }

    [Fact]
    public async Task A_client_that_hangs_up_mid_stream_leaves_nothing_recorded_and_the_model_call_is_cancelled()
    {
        await facade.CreateConversationAsync("hangup");
        var gate = new FakeStreamGate();
        facade.Model.Enqueue(FakeReply.Text("A long answer nobody waits for.").HeldAfterFirstChunk(gate));

        using var cancel = new CancellationTokenSource();
        var chat = facade.Sdk().GetChatClient("ctx:hangup");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Still there?")], cancellationToken: cancel.Token))
            {
                if (update.ContentUpdate.Count > 0)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        // The facade dropped its own call to the model, so this reply can never complete and be recorded.
        await gate.Abandoned.WaitAsync(Guard);
        Assert.False(gate.HasFinished);
        Assert.Equal([("user", "Hello.")], await facade.TurnsAsync("hangup"));
        Assert.Equal(0, await facade.QueryCountAsync("hangup"));
    }

    [Fact]
    public async Task The_learned_context_leads_the_prompt_and_the_clients_messages_follow_unchanged()
    {
        await facade.CreateDocumentAsync("doc", "The tram leaves at 9:40.");
        await facade.Http().WaitForRunAsync((await facade.Http().PostOkAsync("/api/contexts/doc/runs", new { })).GetProperty("id").GetString()!);
        var chat = facade.Sdk().GetChatClient("ctx:doc");

        await foreach (var _ in chat.CompleteChatStreamingAsync([new SystemChatMessage("Be brief."), new UserChatMessage("When is the tram?")]))
        {
        }

        var request = Assert.Single(facade.Model.ChatRequests);
        Assert.True(request.Stream);
        Assert.Equal(["system", "system", "user"], request.Messages.Select(m => m.Role));
        Assert.Contains("<learned_context>\nLearned: y = 6.", request.Messages[0].Content);
        Assert.Contains("The tram leaves at 9:40.", request.Messages[0].Content);
        Assert.Equal("Be brief.", request.Messages[1].Content);
        Assert.Equal("When is the tram?", request.Messages[2].Content);
        var query = Assert.Single((await facade.Http().GetOkAsync("/api/contexts/doc/queries")).EnumerateArray());
        Assert.Equal(1, query.GetProperty("learned_version").GetInt64());
        Assert.Equal("When is the tram?", query.GetProperty("question").GetString());
    }
}
