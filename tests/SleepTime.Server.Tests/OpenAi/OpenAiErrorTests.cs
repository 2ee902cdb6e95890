using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenAI.Chat;
using OpenAI.Responses;
using SleepTime.Testing.OpenAiCompatible;

#pragma warning disable OPENAI001 // The Responses client is marked experimental in the SDK.

namespace SleepTime.Server.Tests.OpenAi;

/// <summary>Every /v1 failure is OpenAI's error object with the right status, before anything is streamed or recorded.</summary>
public sealed class OpenAiErrorTests : IAsyncLifetime
{
    private FacadeOverFakeModel facade = null!;

    public async Task InitializeAsync()
    {
        facade = await FacadeOverFakeModel.StartAsync(new Dictionary<string, string?> { ["SleepTime:Server:MaxRequestBodyBytes"] = "20000" });
        await facade.CreateConversationAsync("talk");
    }

    public async Task DisposeAsync() => await facade.DisposeAsync();

    private static async Task<(HttpStatusCode Status, JsonElement Error)> ErrorOf(HttpResponseMessage response)
    {
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var body = await response.Content.ReadAsStringAsync();
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _), body);
        Assert.True(error.TryGetProperty("code", out _), body);
        return (response.StatusCode, error);
    }

    private async Task<(HttpStatusCode Status, JsonElement Error)> PostRawAsync(string path, string json, string? key = ServerFactory.AdminKey)
    {
        var client = facade.Server.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        return await ErrorOf(response);
    }

    private async Task AssertNothingHappenedAsync()
    {
        Assert.Empty(facade.Model.ChatRequests);
        Assert.Single(await facade.TurnsAsync("talk"));
        Assert.Equal(0, await facade.QueryCountAsync("talk"));
    }

    [Fact]
    public async Task An_unknown_context_is_a_404_model_not_found_whose_message_the_sdk_shows()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => facade.Sdk().GetChatClient("ctx:missing").CompleteChatAsync(new UserChatMessage("hi")));

        Assert.Equal(404, error.Status);
        Assert.Contains("The model 'ctx:missing' does not exist", error.Message);
        var body = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal(("invalid_request_error", "model", "model_not_found"), (body.GetProperty("type").GetString(), body.GetProperty("param").GetString(), body.GetProperty("code").GetString()));

        var responses = await Assert.ThrowsAsync<ClientResultException>(() => facade.Sdk().GetResponsesClient().CreateResponseAsync(new CreateResponseOptions { Model = "gpt-4o", InputItems = { ResponseItem.CreateUserMessageItem("hi") } }));
        Assert.Equal(404, responses.Status);
        Assert.Contains("models here are contexts", responses.Message);
    }

    [Fact]
    public async Task A_missing_or_unknown_key_is_a_401_error_object()
    {
        var (status, error) = await PostRawAsync("/v1/chat/completions", """{"model":"ctx:talk","messages":[{"role":"user","content":"hi"}]}""", key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());

        var sdk = await Assert.ThrowsAsync<ClientResultException>(() => facade.Sdk("st_not_a_key").GetChatClient("ctx:talk").CompleteChatAsync(new UserChatMessage("hi")));
        Assert.Equal(401, sdk.Status);
        Assert.Contains("The API key is unknown or revoked.", sdk.Message);
    }

    [Fact]
    public async Task An_unknown_route_or_method_is_an_error_object()
    {
        var (status, error) = await PostRawAsync("/v1/embeddings", "{}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Invalid URL (POST /v1/embeddings).", error.GetProperty("message").GetString());

        using var get = await facade.Http().GetAsync("/v1/chat/completions");
        var (methodStatus, _) = await ErrorOf(get);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, methodStatus);
    }

    [Theory]
    [InlineData("""{"model":"ctx:talk","model":"ctx:talk","messages":[{"role":"user","content":"hi"}]}""", "body")]
    [InlineData("""{"model":"ctx:talk","messages":[{"role":"user","content":"hi","content":"again"}]}""", "body")]
    [InlineData("""{"model":"ctx:talk","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"a","parameters":{"type":"object","type":"object"}}}]}""", "body")]
    [InlineData("""{"model":"ctx:talk","stream":true,"stream_options":5,"messages":[{"role":"user","content":"hi"}]}""", "stream_options")]
    [InlineData("""{"model":"ctx:talk","stream":"yes","messages":[{"role":"user","content":"hi"}]}""", "stream")]
    [InlineData("""{"model":"ctx:talk","temperature":"hot","messages":[{"role":"user","content":"hi"}]}""", "temperature")]
    [InlineData("""{"model":"ctx:talk","temperature":7,"messages":[{"role":"user","content":"hi"}]}""", "temperature")]
    [InlineData("""{"model":"ctx:talk","max_tokens":1.5,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"ctx:talk","n":2,"messages":[{"role":"user","content":"hi"}]}""", "n")]
    [InlineData("""{"model":"ctx:talk","messages":[{"role":"user","content":42}]}""", "messages[0].content")]
    [InlineData("""{"model":"ctx:talk","messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"ctx:talk","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{oops"}}]},{"role":"user","content":"hi"}]}""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""{"model":"ctx:talk","tool_choice":"sometimes","messages":[{"role":"user","content":"hi"}]}""", "tool_choice")]
    [InlineData("""{"model":"ctx:talk","response_format":{"type":"yaml"},"messages":[{"role":"user","content":"hi"}]}""", "response_format.type")]
    [InlineData("""{"model":"ctx:talk","messages":[]}""", "messages")]
    [InlineData("""{"model":"ctx:talk","stream":true,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","strict":true,"parameters":{"type":"object","properties":{"a":5}}}}]}""", "body")]
    [InlineData("""{"model":"ctx:talk","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","strict":true,"parameters":{"type":"object","properties":{"a":5}}}}]}""", "body")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""{"model":"ctx:talk",""", "body")]
    public async Task A_malformed_chat_request_is_a_400_naming_the_field_and_nothing_is_asked_or_recorded(string json, string param)
    {
        var (status, error) = await PostRawAsync("/v1/chat/completions", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        await AssertNothingHappenedAsync();
    }

    [Theory]
    [InlineData("""{"model":"ctx:talk","input":"hi","input":"again"}""", "body")]
    [InlineData("""{"model":"ctx:talk","input":7}""", "input")]
    [InlineData("""{"model":"ctx:talk","input":[{"type":"image","url":"x"}]}""", "input[0].type")]
    [InlineData("""{"model":"ctx:talk","input":"hi","previous_response_id":"resp_1"}""", "previous_response_id")]
    [InlineData("""{"model":"ctx:talk","input":"hi","text":{"format":{"type":"json_schema"}}}""", "text.format.name")]
    [InlineData("""{"model":"ctx:talk","input":"hi","tools":[{"type":"web_search"}]}""", "tools[0].type")]
    public async Task A_malformed_responses_request_is_a_400_naming_the_field(string json, string param)
    {
        var (status, error) = await PostRawAsync("/v1/responses", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(param, error.GetProperty("param").GetString());
        await AssertNothingHappenedAsync();
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_error_object()
    {
        var big = new string('x', 30_000);
        var (status, error) = await PostRawAsync("/v1/chat/completions", $$"""{"model":"ctx:talk","messages":[{"role":"user","content":"{{big}}"}]}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("request_too_large", error.GetProperty("code").GetString());
        await AssertNothingHappenedAsync();
    }

    [Fact]
    public async Task A_model_that_is_unavailable_is_a_503_with_retry_after_and_an_error_the_sdk_shows()
    {
        facade.Model.Enqueue(FakeReply.Error(503, retryAfter: "7", message: "Upstream is overloaded."));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => facade.Sdk().GetChatClient("ctx:talk").CompleteChatAsync(new UserChatMessage("hi")));

        Assert.Equal(503, error.Status);
        Assert.Contains("Upstream is overloaded.", error.Message);
        Assert.True(error.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("7", retryAfter);
        Assert.Single(await facade.TurnsAsync("talk"));
    }

    [Fact]
    public async Task A_model_that_refuses_a_stream_before_its_first_chunk_is_a_502_not_a_broken_200()
    {
        facade.Model.Enqueue(FakeReply.Error(400, message: "The model rejected the prompt."));

        var error = await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            await foreach (var _ in facade.Sdk().GetChatClient("ctx:talk").CompleteChatStreamingAsync(new UserChatMessage("hi")))
            {
            }
        });

        Assert.Equal(502, error.Status);
        Assert.Contains("The model rejected the prompt.", error.Message);
        Assert.Single(await facade.TurnsAsync("talk"));
        Assert.Equal(0, await facade.QueryCountAsync("talk"));
    }
}
