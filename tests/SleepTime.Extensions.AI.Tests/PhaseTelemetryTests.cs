using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Extensions.AI.Tests;

/// <summary>
/// <c>AddSleepTimeChatClients</c>: both phases' model calls, over the OpenAI protocol, seen by an in-memory
/// OpenTelemetry exporter as one GenAI span each with the token usage the provider reported.
/// </summary>
public sealed class PhaseTelemetryTests : IAsyncLifetime
{
    private FakeOpenAiServer server = null!;

    public async Task InitializeAsync() => server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Every_model_call_of_both_phases_is_a_span_with_gen_ai_token_usage()
    {
        server.Responder = request => request.Tools.Any(t => t.Name == "rethink_memory")
            ? FakeReply.ToolCalls(
                ("rethink_memory", JsonSerializer.Serialize(new { new_memory = "Trip to Oslo in March." })),
                ("finish_rethinking_memory", "{}"))
            : FakeReply.Text("Noted.", promptTokens: 40, completionTokens: 3);
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(SleepTimePhases.TelemetrySourceName)
            .AddInMemoryExporter(spans)
            .Build();
        var services = new ServiceCollection();
        var builders = services.AddSleepTimeChatClients(
            _ => server.CreateChatClient(),
            memory: _ => new SleepTimeMemoryOptions { Schedule = new SchedulePolicy { OnChange = false, EveryTurns = 1 } });
        builders.Test.UseSleepTime();
        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredKeyedService<IChatClient>(SleepTimePhases.Test);
        var memory = provider.GetRequiredService<SleepTimeMemory>();

        var first = await chat.GetResponseAsync("I am going to Oslo in March.");
        await memory.WhenIdleAsync();
        var second = await chat.GetStreamingResponseAsync([new(ChatRole.User, "I am going to Oslo in March."), .. first.Messages, new(ChatRole.User, "What should I pack?")]).ToChatResponseAsync();
        await memory.WhenIdleAsync();
        tracing.ForceFlush();

        Assert.Equal("Noted.", second.Text);
        Assert.Contains("Trip to Oslo in March.", server.ChatRequests[2].SystemText, StringComparison.Ordinal);
        var calls = server.ChatRequests;
        // The sleep loop's function invocation adds its own tool spans on the same source; model calls are "chat" spans.
        Assert.Contains(spans, s => "execute_tool".Equals(s.GetTagItem("gen_ai.operation.name")));
        spans = spans.Where(s => "chat".Equals(s.GetTagItem("gen_ai.operation.name"))).ToList();
        Assert.Equal(calls.Count, spans.Count);
        var byPhase = spans.GroupBy(s => s.GetTagItem(SleepTimePhases.PhaseTag) as string).ToDictionary(g => g.Key ?? "(none)", g => g.ToList());
        Assert.Equal(calls.Count(c => c.Tools.Count == 0), byPhase[SleepTimePhases.Test].Count);
        Assert.Equal(calls.Count(c => c.Tools.Count > 0), byPhase[SleepTimePhases.Sleep].Count);
        Assert.Equal(2, byPhase.Count);
        Assert.All(byPhase[SleepTimePhases.Test], span =>
        {
            Assert.Equal(40, Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(3, Convert.ToInt32(span.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        });
        Assert.All(byPhase[SleepTimePhases.Sleep], span =>
        {
            Assert.Equal(FakeReply.DefaultPromptTokens, Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(FakeReply.DefaultCompletionTokens, Convert.ToInt32(span.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        });
    }
}
