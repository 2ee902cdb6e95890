using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SleepTime.Providers;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Providers.Tests;

public sealed class EngineRegistrationTests
{
    [Fact]
    public async Task One_call_registers_an_engine_whose_phases_use_the_configured_endpoints()
    {
        await using var sleepServer = await FakeOpenAiServer.StartAsync();
        await using var testServer = await FakeOpenAiServer.StartAsync();
        sleepServer.Enqueue(FakeReply.ToolCalls(("rethink_memory", JsonSerializer.Serialize(new { new_memory = "learned" })), ("finish_rethinking_memory", "{}")));
        testServer.Enqueue(FakeReply.Text("The answer is 5."));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SleepTime:Models:Sleep:Provider"] = "OpenAICompatible",
            ["SleepTime:Models:Sleep:Endpoint"] = sleepServer.BaseUrl.ToString(),
            ["SleepTime:Models:Sleep:Model"] = "strong-sleeper",
            ["SleepTime:Models:Test:Provider"] = "OpenAICompatible",
            ["SleepTime:Models:Test:Endpoint"] = testServer.BaseUrl.ToString(),
            ["SleepTime:Models:Test:Model"] = "fast-answerer",
        }).Build();
        await using var services = new ServiceCollection().AddSleepTime(configuration).BuildServiceProvider();
        var engine = services.GetRequiredService<SleepTimeEngine>();

        var context = await engine.AddDocumentAsync("Five ducks swim.");
        var sleep = await engine.SleepAsync(context.Id);
        var answer = await engine.AskAsync(context.Id, "How many ducks?");

        Assert.True(sleep.Succeeded, sleep.Error);
        Assert.Equal("5", answer.FinalAnswer);
        Assert.Equal("strong-sleeper", Assert.Single(sleepServer.ChatRequests).Model);
        Assert.Equal("fast-answerer", Assert.Single(testServer.ChatRequests).Model);
    }
}
