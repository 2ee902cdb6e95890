using System.Collections.Concurrent;
using Microsoft.Agents.AI;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using SleepTime.Client;
using SleepTime.Client.Tests;
using SleepTime.Extensions.AI.Remote;
using SleepTime.Testing;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.AgentFramework.Tests;

/// <summary>
/// <see cref="SleepTimeContextProvider"/> in remote mode: a real <see cref="ChatClientAgent"/> (OpenAI SDK against the
/// protocol fake) whose memory is a real SleepTime server in this process, reached through the typed client.
/// </summary>
public sealed class RemoteContextProviderTests : IAsyncLifetime
{
    private const string Learned = "The user is going to Oslo in March: pack for snow and -5 C.";

    private FakeOpenAiServer model = null!;

    public async Task InitializeAsync() => model = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await model.DisposeAsync();

    [Fact]
    public async Task Turn_two_carries_what_the_server_slept_after_turn_one_and_the_provide_path_calls_no_model()
    {
        var sleepModel = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish(Learned));
        await using var server = await LiveServer.StartAsync(sleepModel: sleepModel);
        using var client = await server.TenantClientAsync("remote");
        var memory = new RemoteConversationMemory(client, new() { Schedule = new SchedulePolicy { OnChange = false, EveryTurns = 1 }, Timeout = TimeSpan.FromSeconds(30) });
        var sleepCallsWhenTheAgentAsked = new ConcurrentQueue<int>();
        model.Responder = _ =>
        {
            sleepCallsWhenTheAgentAsked.Enqueue(sleepModel.CallCount);
            return FakeReply.Text("Noted.");
        };
        var agent = Agent(new SleepTimeContextProvider(memory));
        var session = await agent.CreateSessionAsync();

        var first = await agent.RunAsync("I am going to Oslo in March.", session);
        var conversation = agent.GetService<SleepTimeContextProvider>()!.ConversationIdOf(session);
        var run = await WaitForRunAsync(client, conversation);
        var sleepCallsAfterTheSleep = sleepModel.CallCount;
        var second = await agent.RunAsync("What should I pack?", session);

        Assert.Equal(("Noted.", "Noted."), (first.Text, second.Text));
        Assert.Equal((RunStatus.Succeeded, TriggerKinds.Turns, 1L), (run.Status, run.Trigger, run.LearnedVersion));
        var requests = model.ChatRequests;
        Assert.DoesNotContain("pack for snow", requests[0].SystemText, StringComparison.Ordinal);
        Assert.Contains("You are a travel assistant.", requests[1].SystemText, StringComparison.Ordinal);
        Assert.Contains(Learned, requests[1].SystemText, StringComparison.Ordinal);
        Assert.Equal([0, sleepCallsAfterTheSleep], sleepCallsWhenTheAgentAsked);

        var recorded = await client.Contexts.GetAsync(conversation);
        Assert.Equal("conversation", recorded.Kind);
        Assert.Equal(
            ["user: I am going to Oslo in March.", "assistant: Noted.", "user: What should I pack?", "assistant: Noted."],
            recorded.Entries!.Select(e => $"{e.Role}: {e.Text}"));
    }

    [Fact]
    public async Task A_server_that_is_down_leaves_turns_working_and_logs_why()
    {
        var logs = new Logs();
        using var client = SleepTimeClient.Create(new Uri("http://127.0.0.1:1/"), "st_key");
        var agent = Agent(new SleepTimeContextProvider(new RemoteConversationMemory(client), logger: logs.Of<SleepTimeContextProvider>()));
        var session = await agent.CreateSessionAsync();

        var first = await agent.RunAsync("I am going to Oslo in March.", session);
        var second = await agent.RunAsync("What should I pack?", session);

        Assert.Equal(("fake reply", "fake reply"), (first.Text, second.Text));
        Assert.Equal(4, logs.Warnings.Count(w => w.Exception is HttpRequestException));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_holds_a_turn_no_longer_than_the_timeout()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var silent = builder.Build();
        silent.MapFallback(async (HttpContext http) => await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default));
        await silent.StartAsync();
        var logs = new Logs();
        using var client = SleepTimeClient.Create(new Uri(silent.Urls.First()), "st_key");
        var memory = new RemoteConversationMemory(client, new() { Timeout = TimeSpan.FromMilliseconds(200) });
        var agent = Agent(new SleepTimeContextProvider(memory, logger: logs.Of<SleepTimeContextProvider>()));
        var session = await agent.CreateSessionAsync();

        // Without the timeout this turn would wait for the server forever; the test's own deadline is generous.
        var turn = await agent.RunAsync("I am going to Oslo in March.", session).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("fake reply", turn.Text);
        Assert.Equal(2, logs.Warnings.Count(w => w.Exception is TimeoutException));
    }

    private ChatClientAgent Agent(SleepTimeContextProvider provider) =>
        model.CreateChatClient().AsAIAgent(new ChatClientAgentOptions
        {
            Name = "travel",
            ChatOptions = new ChatOptions { Instructions = "You are a travel assistant." },
            AIContextProviders = [provider],
        });

    private static async Task<Server.RunView> WaitForRunAsync(SleepTimeClient client, string conversation)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var runs = await client.Runs.ListForContextAsync(conversation, cancellationToken: deadline.Token);
            if (runs.FirstOrDefault(r => r.Status is not (RunStatus.Queued or RunStatus.Running)) is { } done)
            {
                return done;
            }

            await Task.Delay(25, deadline.Token);
        }
    }

    private sealed class Logs
    {
        public ConcurrentQueue<(string Message, Exception? Exception)> Warnings { get; } = new();

        public ILogger<T> Of<T>() => new Logger<T>(this);

        private sealed class Logger<T>(Logs logs) : ILogger<T>
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel == LogLevel.Warning)
                {
                    logs.Warnings.Enqueue((formatter(state, exception), exception));
                }
            }
        }
    }
}
