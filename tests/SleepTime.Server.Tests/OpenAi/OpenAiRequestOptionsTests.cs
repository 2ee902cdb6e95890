using System.Text.Json;
using OpenAI.Chat;
using OpenAI.Responses;
using SleepTime.Testing.OpenAiCompatible;

#pragma warning disable OPENAI001 // Seed and the Responses client are marked experimental in the SDK.

namespace SleepTime.Server.Tests.OpenAi;

/// <summary>The request fields apps rely on reach the model behind the facade, as the SDK sent them.</summary>
public sealed class OpenAiRequestOptionsTests : IAsyncLifetime
{
    private static readonly BinaryData Schema = BinaryData.FromString("""{"type":"object","properties":{"answer":{"type":"integer"}},"required":["answer"],"additionalProperties":false}""");
    private FacadeOverFakeModel facade = null!;

    public async Task InitializeAsync()
    {
        facade = await FacadeOverFakeModel.StartAsync();
        await facade.CreateDocumentAsync("doc", "x = 3.");
    }

    public async Task DisposeAsync() => await facade.DisposeAsync();

    [Fact]
    public async Task Sampling_limits_stop_seed_effort_and_a_json_schema_reach_the_model_and_the_json_comes_back()
    {
        facade.Model.Enqueue(FakeReply.Text("""{"answer":42}"""));
        var chat = facade.Sdk().GetChatClient("ctx:doc");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("x * 14?")], new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("answer", Schema, "The answer.", jsonSchemaIsStrict: true),
            Temperature = 0.25f,
            TopP = 0.5f,
            Seed = 7,
            MaxOutputTokenCount = 64,
            StopSequences = { "END" },
            ReasoningEffortLevel = ChatReasoningEffortLevel.Low,
        });

        Assert.Equal(42, JsonDocument.Parse(completion.Content[0].Text).RootElement.GetProperty("answer").GetInt32());
        var body = Assert.Single(facade.Model.ChatRequests).Body;
        var format = body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("answer", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
        Assert.Equal("integer", format.GetProperty("json_schema").GetProperty("schema").GetProperty("properties").GetProperty("answer").GetProperty("type").GetString());
        Assert.Equal(0.25, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(0.5, body.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal(7, body.GetProperty("seed").GetInt64());
        Assert.Equal(64, Assert.Single(facade.Model.ChatRequests).MaxTokens);
        Assert.Equal("END", body.GetProperty("stop")[0].GetString());
        Assert.Equal("low", Assert.Single(facade.Model.ChatRequests).ReasoningEffort);
    }

    [Fact]
    public async Task A_json_object_format_reaches_the_model()
    {
        facade.Model.Enqueue(FakeReply.Text("""{"ok":true}"""));
        var chat = facade.Sdk().GetChatClient("ctx:doc");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("JSON please")], new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        Assert.Equal("""{"ok":true}""", completion.Content[0].Text);
        Assert.Equal("json_object", Assert.Single(facade.Model.ChatRequests).Body.GetProperty("response_format").GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_responses_api_carries_instructions_its_text_format_and_limits_to_the_model()
    {
        facade.Model.Enqueue(FakeReply.Text("""{"answer":42}"""));
        var client = facade.Sdk().GetResponsesClient();

        ResponseResult result = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = "ctx:doc",
            Instructions = "Answer in JSON.",
            InputItems = { ResponseItem.CreateUserMessageItem("x * 14?") },
            TextOptions = new ResponseTextOptions { TextFormat = ResponseTextFormat.CreateJsonSchemaFormat("answer", Schema, jsonSchemaIsStrict: true) },
            MaxOutputTokenCount = 32,
            Temperature = 0.5f,
        });

        Assert.Equal("""{"answer":42}""", result.GetOutputText());
        var request = Assert.Single(facade.Model.ChatRequests);
        Assert.Equal("Answer in JSON.", request.Messages[1].Content);
        Assert.Equal(("user", "x * 14?"), (request.Messages[2].Role, request.Messages[2].Content));
        Assert.Equal("answer", request.Body.GetProperty("response_format").GetProperty("json_schema").GetProperty("name").GetString());
        Assert.Equal(32, request.MaxTokens);
        Assert.Equal(0.5, request.Temperature!.Value, 3);
    }
}
