using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SleepTime.Testing;

namespace SleepTime.Server.Tests;

/// <summary>
/// A phase with no endpoint configured runs on the registered <see cref="FallbackModel"/> (what <c>sleeptime serve</c>
/// does with sleeptime-tiny): with its prompts and its sleep options in place of the context's, and reported as such.
/// </summary>
public sealed class FallbackModelTests
{
    private const string Notice = "No model endpoint is configured: using the demo model.";

    [Fact]
    public async Task With_no_endpoint_the_fallback_sleeps_in_its_own_mode_with_its_prompts_and_answers()
    {
        var model = new ScriptedChatClient(call => call.Options?.Tools is { Count: > 0 }
            ? ScriptedReply.RethinkAndFinish("tools were offered")
            : new ChatResponse(new ChatMessage(ChatRole.Assistant, call.Messages[0].Text.StartsWith("Sleep", StringComparison.Ordinal) ? "Muffins baked each day: 3 * 22 = 66" : "The answer is 66.")));
        await using var factory = new ServerFactory(withModels: false);
        await using var server = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(Fallback(model))));
        using var client = Authorized(server);

        var ready = await client.GetOkAsync("/ready");
        Assert.Equal("fallback", ready.GetProperty("sleep_model").GetString());
        Assert.Equal("fallback", ready.GetProperty("test_model").GetString());

        // The context asks for tool-mode sleep with the general prompt; the fallback's options win.
        await client.PostOkAsync("/api/contexts", new { id = "bakery", text = "Priya bakes 3 trays of 22 muffins.", schedule = new { on_change = false, mode = "tools", variant = "general" } });
        var run = await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/bakery/runs", new { })).GetProperty("id").GetString()!);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        var sleep = model.Calls[0];
        Assert.True(sleep.Options?.Tools is null or { Count: 0 }, "a plain-text sleep offers no tools");
        Assert.Equal(PromptLibrary.Compact.Get("sleep-math").Text.Split('\n')[0], sleep.Messages[0].Text.Split('\n')[0]);
        var learned = await client.GetOkAsync("/api/contexts/bakery/learned");
        Assert.Contains("3 * 22 = 66", learned.GetRawText(), StringComparison.Ordinal);

        var answer = await client.PostOkAsync("/api/contexts/bakery/queries", new { question = "How many muffins a day?", budget = new { verbosity = 0 } });
        Assert.Equal("The answer is 66.", answer.GetProperty("answer").GetString());
        Assert.Contains(PromptLibrary.Compact.Get("answer-level-0").Text, model.Calls[^1].Messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_endpoint_is_used_and_the_fallback_never_called()
    {
        var fallback = new ScriptedChatClient(_ => throw new InvalidOperationException("the fallback was called"));
        await using var factory = new ServerFactory();
        await using var server = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(Fallback(fallback))));
        using var client = Authorized(server);

        var ready = await client.GetOkAsync("/ready");
        Assert.Equal("configured", ready.GetProperty("sleep_model").GetString());
        await client.PostOkAsync("/api/contexts", new { id = "doc", text = "x = 3.", schedule = new { on_change = false } });
        var run = await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/doc/runs", new { })).GetProperty("id").GetString()!);
        var answer = await client.PostOkAsync("/api/contexts/doc/queries", new { question = "x?" });

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal("The answer is 42.", answer.GetProperty("answer").GetString());
        Assert.Equal(0, fallback.CallCount);
        Assert.Null(server.Services.GetRequiredService<ModelClients>().FallbackNotice);
    }

    [Fact]
    public void The_fallback_is_said_once_only_when_it_stands_in()
    {
        var services = new ServiceCollection().AddSingleton(Fallback(new InstantChatClient())).BuildServiceProvider();

        var models = new ModelClients(services);

        Assert.Equal(Notice, models.FallbackNotice);
        Assert.Null(models.SleepProblem);
        Assert.Equal(SleepMode.PlainText, models.SleepOptionsFor(new SleepOptions { Mode = SleepMode.Tools }).Mode);
        Assert.Equal(SleepMode.Tools, new ModelClients(new ServiceCollection().BuildServiceProvider()).SleepOptionsFor(new SleepOptions { Mode = SleepMode.Tools }).Mode);
        Assert.NotNull(new ModelClients(new ServiceCollection().BuildServiceProvider()).SleepProblem);
    }

    private static FallbackModel Fallback(IChatClient model) =>
        new(_ => model, PromptLibrary.Compact, requested => requested with { Mode = SleepMode.PlainText, Variant = SleepPromptVariant.Math }, Notice);

    private static HttpClient Authorized(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> server)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ServerFactory.AdminKey);
        return client;
    }
}
