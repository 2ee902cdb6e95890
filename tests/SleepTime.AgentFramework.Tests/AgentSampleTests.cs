using SleepTime.Testing;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.AgentFramework.Tests;

/// <summary>The <c>samples/SleepTime.AgentSample</c> Agent Framework agent, run end to end over the OpenAI protocol fake.</summary>
public sealed class AgentSampleTests
{
    [Fact]
    public async Task The_agent_sample_sleeps_after_turn_one_and_turn_two_carries_the_learned_context()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => FakeReply.Text("Warm layers and snow boots."));
        var sleepModel = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("A family of three visits Oslo for a week in March: snow, -5 C."));
        var output = new StringWriter();

        await AgentSample.RunAsync(server.CreateChatClient(), sleepModel, output);

        var text = output.ToString();
        Assert.Contains("> What should we pack?\nWarm layers and snow boots.\n", text, StringComparison.Ordinal);
        Assert.Contains("[sleep: succeeded, learned context v1]", text, StringComparison.Ordinal);
        Assert.Contains("[sleep: succeeded, learned context v2]", text, StringComparison.Ordinal);
        var requests = server.ChatRequests;
        Assert.Equal(2, requests.Count);
        Assert.DoesNotContain("snow, -5 C", requests[0].SystemText, StringComparison.Ordinal);
        Assert.Contains("A family of three visits Oslo for a week in March: snow, -5 C.", requests[1].SystemText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_remote_agent_sample_sleeps_on_the_server_and_turn_two_carries_the_learned_context()
    {
        await using var model = await FakeOpenAiServer.StartAsync(_ => FakeReply.Text("Warm layers and snow boots."));
        var sleepModel = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("A family of three visits Oslo for a week in March: snow, -5 C."));
        await using var server = await SleepTime.Client.Tests.LiveServer.StartAsync(sleepModel: sleepModel);
        using var client = await server.TenantClientAsync("sample");
        var output = new StringWriter();

        await AgentSample.RunRemoteAsync(model.CreateChatClient(), client, output);

        var text = output.ToString();
        Assert.Contains("> What should we pack?\nWarm layers and snow boots.\n", text, StringComparison.Ordinal);
        Assert.Contains("[sleep on the server: succeeded, learned context v1]", text, StringComparison.Ordinal);
        Assert.Contains("[sleep on the server: succeeded, learned context v2]", text, StringComparison.Ordinal);
        var requests = model.ChatRequests;
        Assert.Equal(2, requests.Count);
        Assert.DoesNotContain("snow, -5 C", requests[0].SystemText, StringComparison.Ordinal);
        Assert.Contains("A family of three visits Oslo for a week in March: snow, -5 C.", requests[1].SystemText, StringComparison.Ordinal);
    }
}
