using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SleepTime.Extensions.AI;
using SleepTime.Providers;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Providers.Tests;

/// <summary>
/// The configuration-driven registrations: <c>AddSleepTimeChatClients(configuration)</c> returns the two phase
/// builders, and with it or <c>AddSleepTimeModels</c> (the server's) every model call is by default a GenAI span with
/// its tokens on a tracer the app set up the usual way (no source named by the app).
/// </summary>
public sealed class ModelTelemetryTests
{
    [Fact]
    public async Task Each_configured_model_call_of_both_phases_is_a_span_with_its_tokens_and_middleware_added_to_the_builders_runs()
    {
        await using var sleepServer = await FakeOpenAiServer.StartAsync();
        await using var testServer = await FakeOpenAiServer.StartAsync();
        sleepServer.Enqueue(FakeReply.ToolCalls(("rethink_memory", JsonSerializer.Serialize(new { new_memory = "Five ducks." })), ("finish_rethinking_memory", "{}")));
        testServer.Enqueue(FakeReply.Text("The answer is 5.", promptTokens: 40, completionTokens: 3));
        var spans = new List<Activity>();
        var services = new ServiceCollection();
        services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans));
        var builders = services.AddSleepTimeChatClients(Configuration(sleepServer, testServer));
        var testCalls = 0;
        builders.Test.Use((messages, options, next, ct) =>
        {
            Interlocked.Increment(ref testCalls);
            return next(messages, options, ct);
        });
        await using (var provider = services.BuildServiceProvider())
        {
            var tracer = provider.GetRequiredService<TracerProvider>();
            var engine = new SleepTimeEngine(provider.GetRequiredKeyedService<IChatClient>(ModelRoles.Sleep), provider.GetRequiredKeyedService<IChatClient>(ModelRoles.Test));

            var context = await engine.AddDocumentAsync("Five ducks swim.");
            var sleep = await engine.SleepAsync(context.Id);
            var answer = await engine.AskAsync(context.Id, "How many ducks?");
            tracer.ForceFlush();

            Assert.True(sleep.Succeeded, sleep.Error);
            Assert.Equal("5", answer.FinalAnswer);
        }

        Assert.Equal(1, testCalls);
        // The exporter hears the shared activity source, parallel tests' calls included: this test's are to its own servers.
        string[] ports = [.. new[] { sleepServer, testServer }.Select(server => server.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var chats = spans.Where(s => "chat".Equals(s.GetTagItem("gen_ai.operation.name")) && ports.Contains(s.GetTagItem("server.port")?.ToString())).ToList();
        Assert.Equal(sleepServer.ChatRequests.Count + testServer.ChatRequests.Count, chats.Count);
        var sleepSpan = Assert.Single(chats, s => SleepTimePhases.Sleep.Equals(s.GetTagItem(SleepTimePhases.PhaseTag)));
        var testSpan = Assert.Single(chats, s => SleepTimePhases.Test.Equals(s.GetTagItem(SleepTimePhases.PhaseTag)));
        Assert.Equal(("strong-sleeper", FakeReply.DefaultPromptTokens, FakeReply.DefaultCompletionTokens), (sleepSpan.GetTagItem("gen_ai.request.model"), Tokens(sleepSpan, "input"), Tokens(sleepSpan, "output")));
        Assert.Equal(("fast-answerer", 40, 3), (testSpan.GetTagItem("gen_ai.request.model"), Tokens(testSpan, "input"), Tokens(testSpan, "output")));
        Assert.All(chats, s => Assert.Equal(SleepTimePhases.TelemetrySourceName, s.Source.Name));
    }

    [Fact]
    public async Task AddSleepTimeModels_traces_each_model_call_with_its_tokens()
    {
        await using var sleepServer = await FakeOpenAiServer.StartAsync();
        await using var testServer = await FakeOpenAiServer.StartAsync();
        testServer.Enqueue(FakeReply.Text("The answer is 5.", promptTokens: 40, completionTokens: 3));
        var spans = new List<Activity>();
        var services = new ServiceCollection();
        services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans));
        services.AddSleepTimeModels(Configuration(sleepServer, testServer));
        await using var provider = services.BuildServiceProvider();
        var tracer = provider.GetRequiredService<TracerProvider>();

        var reply = await provider.GetRequiredKeyedService<IChatClient>(ModelRoles.Test).GetResponseAsync("How many ducks?");
        tracer.ForceFlush();

        // The exporter hears the shared activity source, so it is filtered to this test's server: other tests' model
        // calls run beside it.
        Assert.Equal("The answer is 5.", reply.Text);
        var span = Assert.Single(spans, s => "chat".Equals(s.GetTagItem("gen_ai.operation.name")) && Equals(s.GetTagItem("server.port")?.ToString(), testServer.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal((SleepTimePhases.Test, 40, 3), (span.GetTagItem(SleepTimePhases.PhaseTag), Tokens(span, "input"), Tokens(span, "output")));
    }

    [Fact]
    public async Task Telemetry_turned_off_leaves_the_model_calls_without_spans()
    {
        await using var sleepServer = await FakeOpenAiServer.StartAsync();
        await using var testServer = await FakeOpenAiServer.StartAsync();
        testServer.Enqueue(FakeReply.Text("The answer is 5."));
        var spans = new List<Activity>();
        var services = new ServiceCollection();
        services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans));
        services.AddSleepTimeModels(Configuration(sleepServer, testServer), new SleepTimeTelemetryOptions { OpenTelemetry = false, Logging = false });
        await using var provider = services.BuildServiceProvider();
        var tracer = provider.GetRequiredService<TracerProvider>();

        var reply = await provider.GetRequiredKeyedService<IChatClient>(ModelRoles.Test).GetResponseAsync("How many ducks?");
        tracer.ForceFlush();

        Assert.Equal("The answer is 5.", reply.Text);
        Assert.DoesNotContain(spans, s => s.Source.Name == SleepTimePhases.TelemetrySourceName);
    }

    private static IConfiguration Configuration(FakeOpenAiServer sleepServer, FakeOpenAiServer testServer) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["SleepTime:Models:Sleep:Provider"] = "OpenAICompatible",
        ["SleepTime:Models:Sleep:Endpoint"] = sleepServer.BaseUrl.ToString(),
        ["SleepTime:Models:Sleep:Model"] = "strong-sleeper",
        ["SleepTime:Models:Test:Provider"] = "OpenAICompatible",
        ["SleepTime:Models:Test:Endpoint"] = testServer.BaseUrl.ToString(),
        ["SleepTime:Models:Test:Model"] = "fast-answerer",
    }).Build();

    private static int Tokens(Activity span, string kind) => Convert.ToInt32(span.GetTagItem($"gen_ai.usage.{kind}_tokens"), CultureInfo.InvariantCulture);
}
