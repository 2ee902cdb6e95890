using Microsoft.Extensions.AI;
using SleepTime.Testing.Conditions;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Providers.Tests;

/// <summary>The official OpenAI SDK, built by <see cref="ChatClientFactory"/>, against a real llama.cpp server.</summary>
public sealed class LlamaServerTests
{
    private static IChatClient Client(LlamaServerProcess server) => ChatClientFactory.Create(new ModelEndpointOptions
    {
        Provider = ProviderKind.OpenAICompatible,
        Model = "stories260K",
        Endpoint = server.BaseUrl,
        Timeout = TimeSpan.FromSeconds(60),
        MaxRetries = 1,
    });

    [LlamaServerFact]
    public async Task Chat_round_trip_reports_text_and_usage()
    {
        await using var server = await LlamaServerProcess.StartAsync(null, "-c", "512", "-t", "1");
        var client = Client(server);

        var response = await client.GetResponseAsync("Once upon a time", new ChatOptions { MaxOutputTokens = 32, Temperature = 0 });

        Assert.False(string.IsNullOrWhiteSpace(response.Text), "llama-server returned no text");
        Assert.NotNull(response.Usage);
        Assert.True(response.Usage.InputTokenCount > 0, $"input tokens: {response.Usage.InputTokenCount}");
        Assert.True(response.Usage.OutputTokenCount > 0, $"output tokens: {response.Usage.OutputTokenCount}");
        Assert.InRange(response.Usage.OutputTokenCount!.Value, 1, 32);
    }

    [LlamaServerFact]
    public async Task Streaming_round_trip_reports_text_and_usage()
    {
        await using var server = await LlamaServerProcess.StartAsync(null, "-c", "512", "-t", "1");
        var client = Client(server);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Once upon a time", new ChatOptions { MaxOutputTokens = 32, Temperature = 0 }))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.False(string.IsNullOrWhiteSpace(response.Text), "llama-server streamed no text");
        Assert.True(updates.Count(u => !string.IsNullOrEmpty(u.Text)) > 1, "the text should arrive in more than one update");
        Assert.NotNull(response.Usage);
        Assert.True(response.Usage.InputTokenCount > 0, $"input tokens: {response.Usage.InputTokenCount}");
        Assert.True(response.Usage.OutputTokenCount > 0, $"output tokens: {response.Usage.OutputTokenCount}");
    }
}
