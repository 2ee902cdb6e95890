using Microsoft.Extensions.AI;
using SleepTime.Testing;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Extensions.AI.Tests;

/// <summary>
/// <c>ChatClientBuilder.UseSleepTime()</c> over the official OpenAI SDK talking to an in-process server that speaks
/// the chat completions protocol (streamed as server-sent events); the sleep model is scripted.
/// </summary>
public sealed class UseSleepTimeTests : IAsyncLifetime
{
    private static readonly SchedulePolicy Immediately = new() { OnChange = true, DebounceSeconds = 0 };

    private FakeOpenAiServer server = null!;

    public async Task InitializeAsync() => server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Streaming_chunks_pass_through_unchanged_and_in_order()
    {
        server.Enqueue(FakeReply.Text("Oslo is the capital of Norway and sits on a fjord."));
        await using var memory = new SleepTimeMemory(new ScriptedChatClient(), new() { Schedule = new SchedulePolicy { OnChange = false } });
        RecordingChatClient? model = null;
        using var client = new ChatClientBuilder(server.CreateChatClient())
            .UseSleepTime(memory)
            .Use(inner => model = new RecordingChatClient(inner))
            .Build();

        var seen = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Tell me about Oslo."))
        {
            seen.Add(update);
        }

        Assert.True(server.ChatRequests.Single().Stream);
        Assert.True(seen.Count > 5, $"the reply should arrive in many chunks, got {seen.Count}");
        Assert.Equal(model!.Updates.Count, seen.Count);
        Assert.All(seen.Zip(model.Updates), pair => Assert.Same(pair.Second, pair.First));
        Assert.Equal("Oslo is the capital of Norway and sits on a fjord.", string.Concat(seen.Select(u => u.Text)));

        var context = await memory.Contexts.GetAsync("default");
        Assert.Equal("user: Tell me about Oslo.\nassistant: Oslo is the capital of Norway and sits on a fjord.", context!.Render());
    }

    [Fact]
    public async Task Tool_calls_round_trip_through_the_sleep_time_client_and_only_the_conversation_is_recorded()
    {
        server.Enqueue(
            FakeReply.ToolCalls(("get_weather", """{"city":"Oslo"}""")),
            FakeReply.Text("It is rainy in Oslo."));
        await using var memory = new SleepTimeMemory(new ScriptedChatClient(), new() { Schedule = new SchedulePolicy { OnChange = false } });
        string? askedFor = null;
        var weather = AIFunctionFactory.Create((string city) => { askedFor = city; return $"rain in {city}"; }, "get_weather", "The weather in a city.");
        using var client = new ChatClientBuilder(server.CreateChatClient())
            .UseFunctionInvocation()
            .UseSleepTime(memory)
            .Build();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("What is the weather in Oslo?", new ChatOptions { Tools = [weather] }))
        {
            updates.Add(update);
        }

        Assert.Equal("Oslo", askedFor);
        var call = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().Single();
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("It is rainy in Oslo.", string.Concat(updates.Select(u => u.Text)));

        var requests = server.ChatRequests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(["get_weather"], requests[0].Tools.Select(t => t.Name));
        var sentCall = requests[1].Messages.Single(m => m.Role == "assistant").ToolCalls.Single();
        Assert.Equal(call.CallId, sentCall.Id);
        Assert.Equal("Oslo", System.Text.Json.JsonDocument.Parse(sentCall.Arguments).RootElement.GetProperty("city").GetString());
        var result = requests[1].Messages.Single(m => m.Role == "tool");
        Assert.Equal(call.CallId, result.ToolCallId);
        Assert.Contains("rain in Oslo", result.Content, StringComparison.Ordinal);

        var context = await memory.Contexts.GetAsync("default");
        Assert.Equal("user: What is the weather in Oslo?\nassistant: It is rainy in Oslo.", context!.Render());
    }

    [Fact]
    public async Task The_learned_context_reaches_the_prefix_of_the_next_call_after_a_background_sleep()
    {
        var sleepModel = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("The user is planning a trip to Oslo in March; pack for snow."));
        await using var memory = new SleepTimeMemory(sleepModel, new() { Schedule = Immediately });
        using var client = new ChatClientBuilder(server.CreateChatClient()).UseSleepTime(memory).Build();
        List<ChatMessage> history = [new(ChatRole.System, "You are a travel assistant."), new(ChatRole.User, "I am going to Oslo in March.")];

        var first = await client.GetStreamingResponseAsync(history).ToChatResponseAsync();
        history.AddRange(first.Messages);
        await memory.WhenIdleAsync();
        history.Add(new ChatMessage(ChatRole.User, "What should I pack?"));
        await foreach (var _ in client.GetStreamingResponseAsync(history))
        {
        }

        await memory.WhenIdleAsync();
        var run = memory.Runs("default").Last();
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(1, run.LearnedVersion);
        Assert.Contains("user: I am going to Oslo in March.", sleepModel.Calls[0].LastUserText, StringComparison.Ordinal);

        var requests = server.ChatRequests;
        Assert.Equal(["system", "user"], requests[0].Messages.Select(m => m.Role));
        Assert.Equal("You are a travel assistant.", requests[0].Messages[0].Content);
        var prefix = requests[1].Messages[0];
        Assert.Equal("system", prefix.Role);
        Assert.Contains("The user is planning a trip to Oslo in March; pack for snow.", prefix.Content, StringComparison.Ordinal);
        Assert.Equal(["system", "system", "user", "assistant", "user"], requests[1].Messages.Select(m => m.Role));
        Assert.Equal("You are a travel assistant.", requests[1].Messages[1].Content);
        Assert.DoesNotContain("pack for snow", history.Select(m => m.Text));
    }

    [Fact]
    public async Task A_transcript_token_schedule_sleeps_once_the_unread_turns_hold_that_many_tokens()
    {
        const int Threshold = 40;
        var sleepModel = new ScriptedChatClient(ScriptedReply.RethinkAndFinish("Trip: Oslo, Bergen, Tromsø in March."));
        await using var memory = new SleepTimeMemory(sleepModel, new() { Schedule = new SchedulePolicy { OnChange = false, TranscriptTokens = Threshold } });
        using var client = new ChatClientBuilder(server.CreateChatClient()).UseSleepTime(memory).Build();
        var longTurn = string.Join(' ', Enumerable.Repeat("We will visit Oslo, Bergen and Tromsø in March, by train where we can.", 3));
        Assert.True(O200kTokenCounter.Instance.CountTokens(longTurn) >= Threshold);

        var first = await client.GetResponseAsync("Hello.");
        await memory.WhenIdleAsync();
        Assert.Empty(memory.Runs("default"));

        await client.GetResponseAsync([new(ChatRole.User, "Hello."), .. first.Messages, new(ChatRole.User, longTurn)]);
        await memory.WhenIdleAsync();
        var run = Assert.Single(memory.Runs("default"));
        Assert.Equal((TriggerKinds.TranscriptTokens, RunStatus.Succeeded), (run.Trigger, run.Status));
    }

    [Fact]
    public async Task A_failing_sleep_never_fails_a_turn_and_ends_as_a_failed_run()
    {
        var sleepModel = new ScriptedChatClient(_ => throw new HttpRequestException("the sleep model is down"));
        await using var memory = new SleepTimeMemory(sleepModel, new() { Schedule = Immediately });
        using var client = new ChatClientBuilder(server.CreateChatClient()).UseSleepTime(memory).Build();

        var first = await client.GetResponseAsync("Hello.");
        await memory.WhenIdleAsync();
        var second = await client.GetResponseAsync([new(ChatRole.User, "Hello."), .. first.Messages, new(ChatRole.User, "Still there?")]);

        Assert.Equal("fake reply", first.Text);
        Assert.Equal("fake reply", second.Text);
        var failed = memory.Runs("default").Last();
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal("provider_error", failed.Reason);
        Assert.Contains("the sleep model is down", failed.Error, StringComparison.Ordinal);
        Assert.All(server.ChatRequests, r => Assert.DoesNotContain(r.Messages, m => m.Role == "system"));
    }

    [Fact]
    public async Task A_slow_sleep_does_not_delay_a_turn()
    {
        var release = new TaskCompletionSource<ChatResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sleepModel = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("Dog: Rex. Cat: Tom."))
            .Then((_, _) => release.Task)
            .Then(ScriptedReply.Finish());
        await using var memory = new SleepTimeMemory(sleepModel, new() { Schedule = Immediately });
        using var client = new ChatClientBuilder(server.CreateChatClient()).UseSleepTime(memory).Build();

        await client.GetResponseAsync("Remember that my dog is called Rex.");
        await WaitUntilAsync(() => sleepModel.CallCount == 1);
        var second = await client.GetResponseAsync("And my cat is Tom.");

        Assert.Equal("fake reply", second.Text);
        Assert.Equal(RunStatus.Running, memory.Runs("default").Last().Status);
        release.SetResult(ScriptedReply.Rethink("Dog: Rex."));
        await memory.WhenIdleAsync();
        Assert.Equal([RunStatus.Succeeded, RunStatus.Succeeded], memory.Runs("default").Reverse().Select(r => r.Status));
    }

    [Fact]
    public async Task A_turn_whose_recording_fails_still_returns_every_chunk()
    {
        server.Enqueue(FakeReply.Text("Still answering."), FakeReply.Text("Still answering."));
        var store = new BrokenContextStore();
        await using var memory = new SleepTimeMemory(new ScriptedChatClient(), new() { Contexts = store, LearnedContexts = store, Schedule = Immediately });
        using var client = new ChatClientBuilder(server.CreateChatClient()).UseSleepTime(memory).Build();

        var streamed = await client.GetStreamingResponseAsync("Hello.").ToChatResponseAsync();
        var plain = await client.GetResponseAsync("Hello again.");

        Assert.Equal("Still answering.", streamed.Text);
        Assert.Equal("Still answering.", plain.Text);
        Assert.Equal(2, store.FailedWrites);
        Assert.Empty(memory.Runs());
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition never held");
            await Task.Delay(5);
        }
    }
}
