using System.Text.Json;
using Microsoft.Extensions.AI;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Providers.Tests;

/// <summary>The official OpenAI SDK, built by <see cref="ChatClientFactory"/>, against <see cref="FakeOpenAiServer"/>.</summary>
public sealed class OpenAiCompatibleTests : IAsyncLifetime
{
    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IChatClient CreateClient(TimeProvider? timeProvider = null, Action<ModelEndpointOptions>? configure = null)
    {
        var options = new ModelEndpointOptions
        {
            Provider = ProviderKind.OpenAICompatible,
            Model = "fake-model",
            Endpoint = _server.BaseUrl,
            ApiKey = "sk-test",
            RetryBaseDelay = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        return ChatClientFactory.Create(options, timeProvider: timeProvider ?? new AutoAdvancingTimeProvider());
    }

    [Fact]
    public async Task Text_reply_carries_text_and_all_usage_fields()
    {
        _server.Enqueue(FakeReply.Text("The answer is 42.", promptTokens: 120, completionTokens: 30, cachedTokens: 64, reasoningTokens: 12));
        var client = CreateClient();

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "What is six times seven?")],
            new ChatOptions { MaxOutputTokens = 50 });

        Assert.Equal("The answer is 42.", response.Text);
        Assert.NotNull(response.Usage);
        Assert.Equal(120, response.Usage.InputTokenCount);
        Assert.Equal(30, response.Usage.OutputTokenCount);
        Assert.Equal(150, response.Usage.TotalTokenCount);
        Assert.Equal(64, response.Usage.CachedInputTokenCount);
        Assert.Equal(12, response.Usage.ReasoningTokenCount);

        var request = Assert.Single(_server.ChatRequests);
        Assert.Equal("fake-model", request.Model);
        Assert.Equal(["system", "user"], request.Messages.Select(m => m.Role));
        Assert.Equal("What is six times seven?", request.LastUserText);
        Assert.Equal(50, request.MaxTokens);
        Assert.False(request.Stream);
        var recorded = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", recorded.Path);
        Assert.Equal("Bearer sk-test", recorded.Header("Authorization"));
    }

    [Fact]
    public async Task Reply_without_usage_has_no_token_counts()
    {
        _server.Enqueue(FakeReply.NoUsage("no usage here"));
        var response = await CreateClient().GetResponseAsync("hi");

        Assert.Equal("no usage here", response.Text);
        Assert.True(response.Usage is null || response.Usage.InputTokenCount is null);
    }

    [Fact]
    public async Task Reasoning_effort_reaches_the_server()
    {
        _server.Enqueue(FakeReply.Text("ok"));
        await CreateClient().GetResponseAsync("hi", new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low } });

        Assert.Equal("low", Assert.Single(_server.ChatRequests).ReasoningEffort);
    }

    [Fact]
    public async Task Tool_call_round_trip_sends_the_tool_result_back_with_the_call_id()
    {
        var toolCall = FakeReply.ToolCalls(("get_weather", """{"city":"Oslo"}"""));
        _server.Enqueue(toolCall);
        _server.Responder = request => request.Messages[^1].Role == "tool"
            ? FakeReply.Text("It is sunny in Oslo.")
            : FakeReply.Error(400, message: "expected a tool result");
        var client = CreateClient();
        var tool = AIFunctionFactory.Create((string city) => $"sunny in {city}", "get_weather", "Current weather of a city.");
        var options = new ChatOptions { Tools = [tool] };
        List<ChatMessage> conversation = [new(ChatRole.User, "Weather in Oslo?")];

        var first = await client.GetResponseAsync(conversation, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.Equal(toolCall.ToolCallList[0].Id, call.CallId);
        Assert.StartsWith("call_", call.CallId);
        Assert.Equal("Oslo", call.Arguments!["city"]?.ToString());
        var offered = Assert.Single(_server.ChatRequests[0].Tools);
        Assert.Equal("get_weather", offered.Name);

        conversation.AddRange(first.Messages);
        conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "sunny in Oslo")]));
        var second = await client.GetResponseAsync(conversation, options);

        Assert.Equal("It is sunny in Oslo.", second.Text);
        var followUp = _server.ChatRequests[1];
        var assistant = followUp.Messages.Single(m => m.Role == "assistant");
        Assert.Equal(call.CallId, Assert.Single(assistant.ToolCalls).Id);
        var toolMessage = followUp.Messages[^1];
        Assert.Equal("tool", toolMessage.Role);
        Assert.Equal(call.CallId, toolMessage.ToolCallId);
        Assert.Contains("sunny in Oslo", toolMessage.Content);
    }

    [Fact]
    public async Task Streaming_text_arrives_in_pieces_with_usage_at_the_end()
    {
        _server.Enqueue(FakeReply.Text("Once upon a time there was a fox.", promptTokens: 9, completionTokens: 8, cachedTokens: 4, reasoningTokens: 2));
        var client = CreateClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Tell a story."))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal("Once upon a time there was a fox.", response.Text);
        Assert.True(updates.Count(u => !string.IsNullOrEmpty(u.Text)) > 1, "the text should arrive in more than one update");
        Assert.NotNull(response.Usage);
        Assert.Equal(9, response.Usage.InputTokenCount);
        Assert.Equal(8, response.Usage.OutputTokenCount);
        Assert.Equal(17, response.Usage.TotalTokenCount);
        Assert.Equal(4, response.Usage.CachedInputTokenCount);
        Assert.Equal(2, response.Usage.ReasoningTokenCount);

        var request = Assert.Single(_server.ChatRequests);
        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
    }

    [Fact]
    public async Task Rate_limit_with_retry_after_is_retried_after_the_requested_delay()
    {
        _server.Enqueue(FakeReply.Error(429, retryAfter: "7"), FakeReply.Text("after the wait"));
        var time = new AutoAdvancingTimeProvider();

        var response = await CreateClient(time).GetResponseAsync("hi");

        Assert.Equal("after the wait", response.Text);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], time.RequestedDelays);
    }

    [Fact]
    public async Task Retry_after_as_http_date_is_honoured_and_capped_by_the_max_delay()
    {
        var time = new AutoAdvancingTimeProvider();
        var inTwentySeconds = time.GetUtcNow().AddSeconds(20).ToString("R");
        var inAnHour = time.GetUtcNow().AddHours(1).ToString("R");
        _server.Enqueue(FakeReply.Error(503, retryAfter: inTwentySeconds), FakeReply.Error(503, retryAfter: inAnHour), FakeReply.Text("ok"));

        var response = await CreateClient(time, o => o.RetryMaxDelay = TimeSpan.FromSeconds(30)).GetResponseAsync("hi");

        Assert.Equal("ok", response.Text);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30)], time.RequestedDelays);
    }

    [Fact]
    public async Task Server_error_then_success_is_retried_with_backoff()
    {
        _server.Enqueue(FakeReply.Error(500), FakeReply.Error(502), FakeReply.Text("recovered"));
        var time = new AutoAdvancingTimeProvider();

        var response = await CreateClient(time, o =>
        {
            o.RetryBaseDelay = TimeSpan.FromSeconds(1);
            o.RetryMaxDelay = TimeSpan.FromSeconds(60);
        }).GetResponseAsync("hi");

        Assert.Equal("recovered", response.Text);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(2, time.RequestedDelays.Count);
        Assert.All(time.RequestedDelays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Persistent_server_error_gives_up_after_max_retries_plus_one_attempts()
    {
        _server.Responder = _ => FakeReply.Error(500, message: "the GPU caught fire");
        var time = new AutoAdvancingTimeProvider();

        var error = await Assert.ThrowsAsync<ModelProviderException>(() =>
            CreateClient(time, o => o.MaxRetries = 3).GetResponseAsync("hi"));

        Assert.Equal(4, _server.Requests.Count);
        Assert.Equal(500, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal("OpenAICompatible", error.Provider);
        Assert.Contains("500", error.Message);
        Assert.Contains("4 attempts", error.Message);
        Assert.Equal(3, time.RequestedDelays.Count);
        Assert.All(time.RequestedDelays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Persistent_rate_limit_reports_the_retry_after()
    {
        _server.Responder = _ => FakeReply.Error(429, retryAfter: "12");

        var error = await Assert.ThrowsAsync<ModelProviderException>(() =>
            CreateClient(configure: o => o.MaxRetries = 1).GetResponseAsync("hi"));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(429, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(12), error.RetryAfter);
    }

    [Fact]
    public async Task Bad_request_is_not_retried_and_is_not_transient()
    {
        _server.Enqueue(FakeReply.Error(400, message: "max_tokens is too large"));
        var time = new AutoAdvancingTimeProvider();

        var error = await Assert.ThrowsAsync<ModelProviderException>(() => CreateClient(time).GetResponseAsync("hi"));

        Assert.Single(_server.Requests);
        Assert.Empty(time.RequestedDelays);
        Assert.Equal(400, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Null(error.RetryAfter);
        Assert.Contains("max_tokens is too large", error.Message);
    }

    [Fact]
    public async Task Streaming_error_becomes_a_model_provider_exception()
    {
        _server.Enqueue(FakeReply.Error(401, message: "bad key"));

        var error = await Assert.ThrowsAsync<ModelProviderException>(async () =>
        {
            await foreach (var _ in CreateClient().GetStreamingResponseAsync("hi"))
            {
            }
        });

        Assert.Single(_server.Requests);
        Assert.Equal(401, error.StatusCode);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Attempt_that_hangs_past_the_timeout_is_abandoned_and_retried()
    {
        _server.Enqueue(FakeReply.Delay(TimeSpan.FromMinutes(5), FakeReply.Text("too late")), FakeReply.Text("in time"));

        var response = await CreateClient(configure: o => o.Timeout = TimeSpan.FromSeconds(2)).GetResponseAsync("hi");

        Assert.Equal("in time", response.Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Streaming_attempt_that_hangs_past_the_timeout_is_retried()
    {
        _server.Enqueue(FakeReply.Delay(TimeSpan.FromMinutes(5), FakeReply.Text("too late")), FakeReply.Text("streamed in time"));
        var client = CreateClient(configure: o => o.Timeout = TimeSpan.FromSeconds(2));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        Assert.Equal("streamed in time", updates.ToChatResponse().Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Every_attempt_timing_out_gives_a_transient_timeout_error()
    {
        _server.Responder = _ => FakeReply.Delay(TimeSpan.FromMinutes(5), FakeReply.Text("never"));

        var error = await Assert.ThrowsAsync<ModelProviderException>(() =>
            CreateClient(configure: o =>
            {
                o.Timeout = TimeSpan.FromMilliseconds(300);
                o.MaxRetries = 1;
            }).GetResponseAsync("hi"));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Null(error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Contains("timeout", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Caller_cancellation_surfaces_as_cancellation_without_retries()
    {
        _server.Responder = _ => FakeReply.Delay(TimeSpan.FromMinutes(5), FakeReply.Text("never"));
        var client = CreateClient(configure: o => o.Timeout = TimeSpan.FromMinutes(10));
        using var cts = new CancellationTokenSource();

        var call = client.GetResponseAsync("hi", cancellationToken: cts.Token);
        await WaitUntilAsync(() => _server.Requests.Count == 1);
        await cts.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.IsNotType<ModelProviderException>(error);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Caller_cancellation_while_streaming_surfaces_as_cancellation()
    {
        _server.Responder = _ => FakeReply.Delay(TimeSpan.FromMinutes(5), FakeReply.Text("never"));
        var client = CreateClient(configure: o => o.Timeout = TimeSpan.FromMinutes(10));
        using var cts = new CancellationTokenSource();

        var call = Task.Run(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("hi", cancellationToken: cts.Token))
            {
            }
        });
        await WaitUntilAsync(() => _server.Requests.Count == 1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Unreachable_endpoint_is_a_transient_error_without_status()
    {
        var port = FreePort.Next();
        var client = ChatClientFactory.Create(
            new ModelEndpointOptions
            {
                Provider = ProviderKind.OpenAICompatible,
                Model = "m",
                Endpoint = new Uri($"http://127.0.0.1:{port}/v1/"),
                MaxRetries = 2,
            },
            timeProvider: new AutoAdvancingTimeProvider());

        var error = await Assert.ThrowsAsync<ModelProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Null(error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Contains("3 attempts", error.Message);
    }

    [Fact]
    public async Task Legacy_completions_echo_prompt_tokens_with_logprobs()
    {
        using var http = new HttpClient();
        var body = JsonSerializer.Serialize(new { model = "fake-model", prompt = "The cat sat", echo = true, logprobs = 1, max_tokens = 0 });

        using var response = await http.PostAsync(new Uri(_server.BaseUrl, "completions"), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var logprobs = json.RootElement.GetProperty("choices")[0].GetProperty("logprobs");
        Assert.Equal(["The", " cat", " sat"], logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()));
        var values = logprobs.GetProperty("token_logprobs").EnumerateArray().ToArray();
        Assert.Equal(JsonValueKind.Null, values[0].ValueKind);
        Assert.All(values.Skip(1), v => Assert.True(v.GetDouble() < 0));
    }

    [Fact]
    public async Task Models_endpoint_lists_the_configured_ids()
    {
        _server.ModelIds = ["a", "b"];
        using var http = new HttpClient();

        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri(_server.BaseUrl, "models")));

        Assert.Equal(["a", "b"], json.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Testing_helper_client_talks_to_the_fake_through_the_official_sdk()
    {
        _server.Enqueue(FakeReply.Error(500), FakeReply.Text("second"));
        var client = _server.CreateChatClient("helper-model");

        await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync("hi"));
        var response = await client.GetResponseAsync("hi");

        Assert.Equal("second", response.Text);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal("helper-model", _server.ChatRequests[1].Model);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not become true within 30 s.");
            }

            await Task.Delay(20);
        }
    }
}
