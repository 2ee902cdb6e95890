using Microsoft.Extensions.AI;
using SleepTime.Client;
using SleepTime.Client.Tests;
using SleepTime.Extensions.AI.Remote;
using SleepTime.Testing;

namespace SleepTime.Extensions.AI.Tests;

/// <summary><c>UseSleepTime()</c> over a <see cref="RemoteConversationMemory"/>: the conversation lives on a real server in this process.</summary>
public sealed class RemoteUseSleepTimeTests
{
    private const string Learned = "The user is going to Oslo in March: pack for snow.";

    [Fact]
    public async Task The_next_call_carries_what_the_server_slept_and_the_conversation_is_on_the_server()
    {
        await using var server = await LiveServer.StartAsync(sleepModel: new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish(Learned)));
        using var client = await server.TenantClientAsync("chat");
        var memory = new RemoteConversationMemory(client, new() { Schedule = new SchedulePolicy { OnChange = false, EveryTurns = 1 }, Timeout = TimeSpan.FromSeconds(30) });
        var model = new ScriptedChatClient(_ => ScriptedReply.Text("Noted."));
        using var chat = new ChatClientBuilder(model).UseSleepTime(memory, new SleepTimeChatClientOptions { ConversationId = "trip" }).Build();

        var first = await chat.GetResponseAsync("I am going to Oslo in March.");
        await WaitForSucceededRunAsync(client, "trip");
        var second = await chat.GetStreamingResponseAsync([new(ChatRole.User, "I am going to Oslo in March."), .. first.Messages, new(ChatRole.User, "What should I pack?")]).ToChatResponseAsync();

        Assert.Equal(("Noted.", "Noted."), (first.Text, second.Text));
        Assert.DoesNotContain(model.Calls[0].Messages, m => m.Text.Contains(Learned, StringComparison.Ordinal));
        var prefix = model.Calls[1].Messages[0];
        Assert.Equal(ChatRole.System, prefix.Role);
        Assert.Contains(Learned, prefix.Text, StringComparison.Ordinal);
        var recorded = await client.Contexts.GetAsync("trip");
        Assert.Equal(
            ["user: I am going to Oslo in March.", "assistant: Noted.", "user: What should I pack?", "assistant: Noted."],
            recorded.Entries!.Select(e => $"{e.Role}: {e.Text}"));
    }

    private static async Task WaitForSucceededRunAsync(SleepTimeClient client, string conversation)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!(await client.Runs.ListForContextAsync(conversation, cancellationToken: deadline.Token)).Any(r => r.Status == RunStatus.Succeeded))
        {
            await Task.Delay(25, deadline.Token);
        }
    }
}
