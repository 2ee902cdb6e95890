using System.Collections.Concurrent;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using SleepTime.Extensions.AI;
using SleepTime.Testing;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.AgentFramework.Tests;

/// <summary>
/// A real <see cref="ChatClientAgent"/> on the official OpenAI SDK, talking to an in-process server that speaks the
/// chat completions protocol, with a <see cref="SleepTimeContextProvider"/>; the sleep model is scripted.
/// </summary>
public sealed class SleepTimeContextProviderTests : IAsyncLifetime
{
    private const string Learned = "The user is going to Oslo in March: pack for snow and -5 C.";

    private FakeOpenAiServer server = null!;

    public async Task InitializeAsync() => server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Turn_two_carries_what_the_background_sleep_after_turn_one_committed_and_the_provide_path_calls_no_model()
    {
        var sleepModel = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish(Learned));
        await using var memory = new SleepTimeMemory(sleepModel, new() { Schedule = new SchedulePolicy { OnChange = false, EveryTurns = 1 } });
        var sleepCallsWhenTheAgentAsked = new ConcurrentQueue<int>();
        server.Responder = _ =>
        {
            sleepCallsWhenTheAgentAsked.Enqueue(sleepModel.CallCount);
            return FakeReply.Text("Noted.");
        };
        var agent = Agent(memory);
        var session = await agent.CreateSessionAsync();

        var first = await agent.RunAsync("I am going to Oslo in March.", session);
        await memory.WhenIdleAsync();
        var conversation = Provider(agent).ConversationIdOf(session);
        var committed = memory.Runs(conversation).Single();
        var second = await agent.RunAsync("What should I pack?", session);

        Assert.Equal("Noted.", first.Text);
        Assert.Equal("Noted.", second.Text);
        Assert.Equal(RunStatus.Succeeded, committed.Status);
        Assert.Equal(TriggerKinds.Turns, committed.Trigger);
        Assert.Equal(1, committed.LearnedVersion);
        Assert.Contains("user: I am going to Oslo in March.\nassistant: Noted.", sleepModel.Calls[0].LastUserText, StringComparison.Ordinal);

        var requests = server.ChatRequests;
        Assert.Equal(2, requests.Count);
        Assert.StartsWith("You are a travel assistant.", requests[0].SystemText, StringComparison.Ordinal);
        Assert.DoesNotContain("pack for snow", requests[0].SystemText, StringComparison.Ordinal);
        Assert.Contains("You are a travel assistant.", requests[1].SystemText, StringComparison.Ordinal);
        Assert.Contains(Learned, requests[1].SystemText, StringComparison.Ordinal);
        Assert.Equal("What should I pack?", requests[1].LastUserText);

        // Only the caller's turns and the replies are recorded: not the provider's instructions, not the chat history again.
        await memory.WhenIdleAsync();
        var recorded = await memory.Contexts.GetAsync(conversation);
        Assert.Equal(
            "user: I am going to Oslo in March.\nassistant: Noted.\nuser: What should I pack?\nassistant: Noted.",
            recorded!.Render());

        // When the agent's model was asked for turn 2, only turn 1's sleep had called the sleep model: reading the
        // learned context for turn 2 made no model call of its own.
        Assert.Equal([0, 1], sleepCallsWhenTheAgentAsked);
    }

    [Fact]
    public async Task A_failing_sleep_leaves_turns_working_and_is_a_failed_run()
    {
        var sleepModel = new ScriptedChatClient(_ => throw new HttpRequestException("the sleep model is down"));
        await using var memory = new SleepTimeMemory(sleepModel, new() { Schedule = new SchedulePolicy { OnChange = false, EveryTurns = 1 } });
        var agent = Agent(memory);
        var session = await agent.CreateSessionAsync();

        var first = await agent.RunAsync("I am going to Oslo in March.", session);
        await memory.WhenIdleAsync();
        var second = await agent.RunAsync("What should I pack?", session);
        await memory.WhenIdleAsync();

        Assert.Equal("fake reply", first.Text);
        Assert.Equal("fake reply", second.Text);
        var runs = memory.Runs(Provider(agent).ConversationIdOf(session));
        Assert.Equal(2, runs.Count);
        Assert.All(runs, run =>
        {
            Assert.Equal(RunStatus.Failed, run.Status);
            Assert.Equal("provider_error", run.Reason);
            Assert.Contains("the sleep model is down", run.Error, StringComparison.Ordinal);
        });
        Assert.All(server.ChatRequests, r => Assert.DoesNotContain("learned_context", r.SystemText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slow_sleep_does_not_delay_the_next_turn()
    {
        var release = new TaskCompletionSource<ChatResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sleepModel = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish(Learned)).Then((_, _) => release.Task).Then(ScriptedReply.Finish());
        await using var memory = new SleepTimeMemory(sleepModel, new() { Schedule = new SchedulePolicy { OnChange = false, EveryTurns = 1 } });
        var agent = Agent(memory);
        var session = await agent.CreateSessionAsync();

        await agent.RunAsync("I am going to Oslo in March.", session);
        await WaitUntilAsync(() => sleepModel.CallCount == 1);
        var second = await agent.RunAsync("What should I pack?", session);

        Assert.Equal("fake reply", second.Text);
        var conversation = Provider(agent).ConversationIdOf(session);
        Assert.Equal(RunStatus.Running, memory.Runs(conversation).Last().Status);
        release.SetResult(ScriptedReply.Rethink(Learned));
        await memory.WhenIdleAsync();
        Assert.All(memory.Runs(conversation), r => Assert.Equal(RunStatus.Succeeded, r.Status));
    }

    [Fact]
    public async Task Sessions_have_their_own_conversations_and_a_serialized_session_resumes_its_memory()
    {
        await using var memory = new SleepTimeMemory(new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish(Learned)), new() { Schedule = new SchedulePolicy { OnChange = false, EveryTurns = 1 } });
        var agent = Agent(memory);
        var mine = await agent.CreateSessionAsync();
        var other = await agent.CreateSessionAsync();

        await agent.RunAsync("I am going to Oslo in March.", mine);
        await memory.WhenIdleAsync();
        var restored = await agent.DeserializeSessionAsync(await agent.SerializeSessionAsync(mine));
        await agent.RunAsync("Hello.", other);
        await agent.RunAsync("What should I pack?", restored);

        Assert.NotEqual(Provider(agent).ConversationIdOf(mine), Provider(agent).ConversationIdOf(other));
        Assert.Equal(Provider(agent).ConversationIdOf(mine), Provider(agent).ConversationIdOf(restored));
        var requests = server.ChatRequests;
        Assert.DoesNotContain(Learned, requests[1].SystemText, StringComparison.Ordinal);
        Assert.Contains(Learned, requests[2].SystemText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_agents_share_one_memory()
    {
        await using var memory = new SleepTimeMemory(new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish(Learned)), new() { Schedule = new SchedulePolicy { OnChange = false, EveryTurns = 1 } });
        var planner = Agent(memory, new SleepTimeContextProviderOptions { SharedMemoryId = "trip" });
        var packer = Agent(memory, new SleepTimeContextProviderOptions { SharedMemoryId = "trip" });

        await planner.RunAsync("I am going to Oslo in March.", await planner.CreateSessionAsync());
        await memory.WhenIdleAsync();
        await packer.RunAsync("What should I pack?", await packer.CreateSessionAsync());

        Assert.Equal(RunStatus.Succeeded, memory.Runs("trip").Last().Status);
        Assert.Contains(Learned, server.ChatRequests[1].SystemText, StringComparison.Ordinal);
    }

    private ChatClientAgent Agent(SleepTimeMemory memory, SleepTimeContextProviderOptions? options = null) =>
        server.CreateChatClient().AsAIAgent(new ChatClientAgentOptions
        {
            Name = "travel",
            ChatOptions = new ChatOptions { Instructions = "You are a travel assistant." },
            AIContextProviders = [new SleepTimeContextProvider(memory, options)],
        });

    private static SleepTimeContextProvider Provider(ChatClientAgent agent) => agent.GetService<SleepTimeContextProvider>()
        ?? throw new InvalidOperationException("The agent does not expose its SleepTimeContextProvider.");

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition never held");
            await Task.Delay(5);
        }
    }
}
