using Microsoft.Extensions.AI;
using SleepTime.Testing.Anthropic;
using SleepTime.Testing.Ollama;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Providers.Tests;

/// <summary>The official Anthropic SDK and OllamaSharp, built by <see cref="ChatClientFactory"/>, against their fakes.</summary>
public sealed class AnthropicAndOllamaTests
{
    private static IChatClient Anthropic(FakeAnthropicServer server, Action<ModelEndpointOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new ModelEndpointOptions
        {
            Provider = ProviderKind.Anthropic,
            Model = "claude-fake",
            Endpoint = server.BaseUrl,
            ApiKey = "sk-ant-test",
        };
        configure?.Invoke(options);
        return ChatClientFactory.Create(options, timeProvider: time ?? new AutoAdvancingTimeProvider());
    }

    private static IChatClient Ollama(FakeOllamaServer server, Action<ModelEndpointOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new ModelEndpointOptions
        {
            Provider = ProviderKind.Ollama,
            Model = "fake-model:latest",
            Endpoint = server.BaseUrl,
        };
        configure?.Invoke(options);
        return ChatClientFactory.Create(options, timeProvider: time ?? new AutoAdvancingTimeProvider());
    }

    [Fact]
    public async Task Anthropic_text_round_trip_with_usage()
    {
        await using var server = await FakeAnthropicServer.StartAsync();
        server.Enqueue(FakeReply.Text("Bonjour.", promptTokens: 40, completionTokens: 6, cachedTokens: 25));

        var response = await Anthropic(server).GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Answer in French."), new ChatMessage(ChatRole.User, "Say hello.")],
            new ChatOptions { MaxOutputTokens = 64 });

        Assert.Equal("Bonjour.", response.Text);
        Assert.NotNull(response.Usage);
        Assert.Equal(6, response.Usage.OutputTokenCount);
        Assert.Equal(25, response.Usage.CachedInputTokenCount);
        // Anthropic's input_tokens excludes cache reads; the adapter adds them, so the count matches OpenAI's meaning.
        Assert.Equal(40 + 25, response.Usage.InputTokenCount);
        var request = Assert.Single(server.ChatRequests);
        Assert.Equal("claude-fake", request.Model);
        Assert.Equal(64, request.MaxTokens);
        Assert.Equal("Answer in French.", request.SystemText);
        Assert.Equal("Say hello.", request.LastUserText);
        var recorded = Assert.Single(server.Requests);
        Assert.Equal("/v1/messages", recorded.Path);
        // Anthropic SDK 13.x sends the API key as a bearer token.
        Assert.Equal("Bearer sk-ant-test", recorded.Header("Authorization"));
    }

    [Fact]
    public async Task Anthropic_streaming_round_trip_with_usage()
    {
        await using var server = await FakeAnthropicServer.StartAsync();
        server.Enqueue(FakeReply.Text("Il était une fois.", promptTokens: 30, completionTokens: 5));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Anthropic(server).GetStreamingResponseAsync("Tell a story."))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal("Il était une fois.", response.Text);
        Assert.NotNull(response.Usage);
        Assert.Equal(5, response.Usage.OutputTokenCount);
        Assert.Equal(30, response.Usage.InputTokenCount);
        Assert.True(Assert.Single(server.ChatRequests).Stream);
    }

    [Fact]
    public async Task Anthropic_overload_is_retried_and_bad_request_is_not()
    {
        await using var server = await FakeAnthropicServer.StartAsync();
        var time = new AutoAdvancingTimeProvider();
        server.Enqueue(FakeReply.Error(529, retryAfter: "3", message: "Overloaded"), FakeReply.Text("ok"), FakeReply.Error(400, message: "prompt is too long"));
        var client = Anthropic(server, time: time);

        Assert.Equal("ok", (await client.GetResponseAsync("hi")).Text);
        var error = await Assert.ThrowsAsync<ModelProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(3)], time.RequestedDelays);
        Assert.Equal(400, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Equal("Anthropic", error.Provider);
        Assert.Contains("prompt is too long", error.Message);
    }

    [Fact]
    public async Task Anthropic_persistent_rate_limit_reports_status_and_retry_after()
    {
        await using var server = await FakeAnthropicServer.StartAsync(_ => FakeReply.Error(429, retryAfter: "9"));

        var error = await Assert.ThrowsAsync<ModelProviderException>(() =>
            Anthropic(server, o => o.MaxRetries = 2).GetResponseAsync("hi"));

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(429, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(9), error.RetryAfter);
    }

    [Fact]
    public async Task Ollama_text_round_trip_with_usage()
    {
        await using var server = await FakeOllamaServer.StartAsync();
        server.Enqueue(FakeReply.Text("Hello from Ollama.", promptTokens: 21, completionTokens: 4));

        var response = await Ollama(server).GetResponseAsync("Say hello.", new ChatOptions { MaxOutputTokens = 16 });

        Assert.Equal("Hello from Ollama.", response.Text);
        Assert.NotNull(response.Usage);
        Assert.Equal(21, response.Usage.InputTokenCount);
        Assert.Equal(4, response.Usage.OutputTokenCount);
        var request = Assert.Single(server.ChatRequests);
        Assert.Equal("fake-model:latest", request.Model);
        Assert.Equal(16, request.MaxTokens);
        Assert.Equal("/api/chat", server.Requests[0].Path);
    }

    [Fact]
    public async Task Ollama_streaming_round_trip_with_usage()
    {
        await using var server = await FakeOllamaServer.StartAsync();
        server.Enqueue(FakeReply.Text("A small red hen.", promptTokens: 12, completionTokens: 5));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Ollama(server).GetStreamingResponseAsync("Story?"))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal("A small red hen.", response.Text);
        Assert.NotNull(response.Usage);
        Assert.Equal(12, response.Usage.InputTokenCount);
        Assert.Equal(5, response.Usage.OutputTokenCount);
        Assert.True(Assert.Single(server.ChatRequests).Stream);
    }

    [Fact]
    public async Task Ollama_server_error_is_retried_then_reported()
    {
        await using var server = await FakeOllamaServer.StartAsync(_ => FakeReply.Error(503, message: "model is loading"));

        var error = await Assert.ThrowsAsync<ModelProviderException>(() =>
            Ollama(server, o => o.MaxRetries = 1).GetResponseAsync("hi"));

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(503, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal("Ollama", error.Provider);
    }
}
