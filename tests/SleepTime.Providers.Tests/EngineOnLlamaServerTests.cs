using Microsoft.Extensions.AI;
using SleepTime.Testing.Conditions;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Providers.Tests;

/// <summary>
/// Sleep-time compute end to end on a real neural network: llama.cpp's server with a 260K-parameter story model.
/// It cannot reason, so these tests check the machinery — real tokens, real usage, real failures — not answers.
/// </summary>
public sealed class EngineOnLlamaServerTests
{
    [LlamaServerFact]
    public async Task A_plain_text_sleep_and_a_budgeted_query_run_on_a_real_model_with_reported_usage()
    {
        await using var server = await LlamaServerProcess.StartAsync(null, "-c", "4096", "-np", "1", "-t", "1");
        // The toy model's context window is 128 tokens: compact prompts, injected the way a user would version their own.
        var engine = SleepTimeEngine.Create(Client(server), new SleepTimeEngineOptions { Prompts = CompactPrompts() });
        var context = await engine.AddDocumentAsync("Lily had three red balloons.");

        var sleep = await engine.SleepAsync(context.Id, new SleepOptions { Mode = SleepMode.PlainText, MaxOutputTokens = 6, BlockLimit = 100_000 });
        var answer = await engine.AskAsync(context.Id, "How many?", new AskOptions { Budget = new AnswerBudget(0, maxOutputTokens: 4), IncludeRawContext = false });

        Assert.True(sleep.Succeeded, sleep.Error);
        Assert.False(string.IsNullOrWhiteSpace(sleep.LearnedContext!.Blocks[0].Value));
        Assert.False(sleep.Usage.Estimated);
        Assert.InRange(sleep.Usage.OutputTokens, 1, 6);
        Assert.True(sleep.Usage.InputTokens > 5, $"sleep input tokens: {sleep.Usage.InputTokens}");
        Assert.Equal("sleep-general", sleep.LearnedContext.Provenance.PromptId);
        Assert.Equal(2, sleep.LearnedContext.Provenance.PromptVersion);

        Assert.False(string.IsNullOrWhiteSpace(answer.Text));
        Assert.Equal(1, answer.LearnedContextVersion);
        Assert.False(answer.Usage.Estimated);
        Assert.InRange(answer.Usage.OutputTokens, 1, 4);
    }

    [LlamaServerFact]
    public async Task A_real_model_that_never_calls_the_memory_tools_fails_the_sleep_with_a_reason()
    {
        await using var server = await LlamaServerProcess.StartAsync(null, "-c", "4096", "-np", "1", "-t", "1", "--jinja");
        var engine = SleepTimeEngine.Create(Client(server), new SleepTimeEngineOptions { Prompts = CompactPrompts() });
        var context = await engine.AddDocumentAsync("Lily had three red balloons.");

        var sleep = await engine.SleepAsync(context.Id, new SleepOptions { MaxOutputTokens = 16, MaxReminders = 1 });

        Assert.Equal(SleepStatus.Failed, sleep.Status);
        Assert.Contains(sleep.FailureReason, new SleepFailureReason?[] { SleepFailureReason.NoToolCalls, SleepFailureReason.ProviderError });
        Assert.False(string.IsNullOrWhiteSpace(sleep.Error));
        Assert.Null(await engine.GetLearnedContextAsync(context.Id));
    }

    private static PromptLibrary CompactPrompts() => new(PromptLibrary.Default.Ids.Select(id => new PromptTemplate(id, 2, id switch
    {
        "sleep-general" => "Notes. {{mode_instructions}}",
        "sleep-input" => "{{context}}",
        "answer" => "{{verbosity}}",
        "answer-level-0" => "Answer.",
        "sleep-nudge" => "Use the tool.",
        _ => string.Empty,
    })));

    private static IChatClient Client(LlamaServerProcess server) => ChatClientFactory.Create(new ModelEndpointOptions
    {
        Provider = ProviderKind.OpenAICompatible,
        Model = "stories260K",
        Endpoint = server.BaseUrl,
        Timeout = TimeSpan.FromSeconds(60),
        MaxRetries = 1,
    });
}
