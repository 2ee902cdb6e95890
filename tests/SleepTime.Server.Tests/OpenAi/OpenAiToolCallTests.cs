using System.Text;
using System.Text.Json;
using OpenAI.Chat;
using OpenAI.Responses;
using SleepTime.Testing.OpenAiCompatible;

#pragma warning disable OPENAI001 // The Responses client is marked experimental in the SDK.

namespace SleepTime.Server.Tests.OpenAi;

/// <summary>Function calling through the facade: the client's tools reach the model, the model's calls reach the client as they were made.</summary>
public sealed class OpenAiToolCallTests : IAsyncLifetime
{
    private const string Arguments = """{"city":"Oslo","days":3}""";
    private static readonly BinaryData Schema = BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]}""");
    private FacadeOverFakeModel facade = null!;

    public async Task InitializeAsync() => facade = await FacadeOverFakeModel.StartAsync();

    public async Task DisposeAsync() => await facade.DisposeAsync();

    /// <summary>
    /// What the model gets back: the same JSON. Microsoft.Extensions.AI's OpenAI adapter writes the arguments of a
    /// returned call itself (indented), so only the client side is byte-exact.
    /// </summary>
    private static void AssertSameJson(string expected, string actual) =>
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(expected), System.Text.Json.Nodes.JsonNode.Parse(actual)), $"{expected} != {actual}");

    private static ChatCompletionOptions WithWeatherTool() => new()
    {
        Tools = { ChatTool.CreateFunctionTool("get_weather", "The forecast for a city.", Schema) },
        ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather"),
    };

    [Fact]
    public async Task A_tool_call_round_trips_to_the_sdk_as_the_model_made_it_and_its_result_goes_back()
    {
        await facade.CreateConversationAsync("weather");
        var call = FakeReply.ToolCalls(("get_weather", Arguments));
        facade.Model.Enqueue(call, FakeReply.Text("Sunny for three days."));
        var chat = facade.Sdk().GetChatClient("ctx:weather");
        List<ChatMessage> messages = [new UserChatMessage("Weather in Oslo?")];

        ChatCompletion first = await chat.CompleteChatAsync(messages, WithWeatherTool());

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var made = Assert.Single(first.ToolCalls);
        Assert.Equal(call.ToolCallList[0].Id, made.Id);
        Assert.Equal("get_weather", made.FunctionName);
        Assert.Equal(Arguments, made.FunctionArguments.ToString());
        var offered = facade.Model.ChatRequests[0];
        var tool = Assert.Single(offered.Tools);
        Assert.Equal(("get_weather", "The forecast for a city."), (tool.Name, tool.Description));
        Assert.Equal("city", tool.Parameters!.Value.GetProperty("required")[0].GetString());
        Assert.Equal("get_weather", offered.Body.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());

        // A reply of tool calls alone is not an answer: no turn is recorded yet.
        Assert.Single(await facade.TurnsAsync("weather"));

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(made.Id, "sunny, 21 C"));
        ChatCompletion second = await chat.CompleteChatAsync(messages, WithWeatherTool());

        Assert.Equal("Sunny for three days.", second.Content[0].Text);
        var answered = facade.Model.ChatRequests[1].Messages;
        var assistant = answered[^2];
        Assert.Equal("assistant", assistant.Role);
        Assert.Equal((made.Id, "get_weather"), (assistant.ToolCalls[0].Id, assistant.ToolCalls[0].Name));
        AssertSameJson(Arguments, assistant.ToolCalls[0].Arguments);
        Assert.Equal(("tool", made.Id, "sunny, 21 C"), (answered[^1].Role, answered[^1].ToolCallId, answered[^1].Content));
        Assert.Equal([("user", "Hello."), ("user", "Weather in Oslo?"), ("assistant", "Sunny for three days.")], await facade.TurnsAsync("weather"));
    }

    [Fact]
    public async Task A_streamed_tool_call_reaches_the_sdk_as_deltas_it_assembles_into_the_models_call()
    {
        await facade.CreateDocumentAsync("doc", "Forecasts.");
        var call = FakeReply.ToolCalls(("get_weather", Arguments), ("get_time", """{"zone":"CET"}"""));
        facade.Model.Enqueue(call);
        var chat = facade.Sdk().GetChatClient("ctx:doc");

        var ids = new Dictionary<int, string>();
        var names = new Dictionary<int, string>();
        var arguments = new Dictionary<int, StringBuilder>();
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Weather and time?")], WithWeatherTool()))
        {
            foreach (var delta in update.ToolCallUpdates)
            {
                if (delta.ToolCallId is { } id)
                {
                    ids[delta.Index] = id;
                }

                if (delta.FunctionName is { } name)
                {
                    names[delta.Index] = name;
                }

                (arguments.TryGetValue(delta.Index, out var text) ? text : arguments[delta.Index] = new StringBuilder()).Append(delta.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal([call.ToolCallList[0].Id, call.ToolCallList[1].Id], [ids[0], ids[1]]);
        Assert.Equal(["get_weather", "get_time"], [names[0], names[1]]);
        Assert.Equal([Arguments, """{"zone":"CET"}"""], [arguments[0].ToString(), arguments[1].ToString()]);
    }

    [Fact]
    public async Task The_responses_api_returns_function_call_items_and_takes_their_output_back()
    {
        await facade.CreateDocumentAsync("doc", "Forecasts.");
        var call = FakeReply.ToolCalls(("get_weather", Arguments));
        facade.Model.Enqueue(call, FakeReply.Text("Sunny."));
        var client = facade.Sdk().GetResponsesClient();
        var options = new CreateResponseOptions
        {
            Model = "ctx:doc",
            InputItems = { ResponseItem.CreateUserMessageItem("Weather in Oslo?") },
            Tools = { ResponseTool.CreateFunctionTool("get_weather", Schema, strictModeEnabled: false, functionDescription: "The forecast for a city.") },
        };

        ResponseResult first = await client.CreateResponseAsync(options);

        var item = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
        Assert.Equal((call.ToolCallList[0].Id, "get_weather", Arguments), (item.CallId, item.FunctionName, item.FunctionArguments.ToString()));
        Assert.Equal("get_weather", Assert.Single(facade.Model.ChatRequests[0].Tools).Name);

        options.InputItems.Add(item);
        options.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem(item.CallId, "sunny"));
        options.StreamingEnabled = true;
        var streamedItems = new List<ResponseItem>();
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            if (update is StreamingResponseOutputItemDoneUpdate done)
            {
                streamedItems.Add(done.Item);
            }
        }

        Assert.Equal("Sunny.", Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(streamedItems)).Content[0].Text);
        var sent = facade.Model.ChatRequests[1].Messages;
        Assert.Equal(item.CallId, sent[^2].ToolCalls[0].Id);
        AssertSameJson(Arguments, sent[^2].ToolCalls[0].Arguments);
        Assert.Equal(("tool", item.CallId, "sunny"), (sent[^1].Role, sent[^1].ToolCallId, sent[^1].Content));
    }

    [Fact]
    public async Task A_streamed_function_call_arrives_as_its_documented_events()
    {
        await facade.CreateDocumentAsync("doc", "Forecasts.");
        var call = FakeReply.ToolCalls(("get_weather", Arguments));
        facade.Model.Enqueue(call);
        var client = facade.Sdk().GetResponsesClient();
        var options = new CreateResponseOptions
        {
            Model = "ctx:doc",
            StreamingEnabled = true,
            InputItems = { ResponseItem.CreateUserMessageItem("Weather in Oslo?") },
            Tools = { ResponseTool.CreateFunctionTool("get_weather", Schema, strictModeEnabled: false) },
        };

        var arguments = new StringBuilder();
        FunctionCallResponseItem? done = null;
        ResponseResult? completed = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            switch (update)
            {
                case StreamingResponseFunctionCallArgumentsDeltaUpdate delta:
                    arguments.Append(delta.Delta.ToString());
                    break;
                case StreamingResponseOutputItemDoneUpdate { Item: FunctionCallResponseItem item }:
                    done = item;
                    break;
                case StreamingResponseCompletedUpdate end:
                    completed = end.Response;
                    break;
            }
        }

        Assert.Equal(Arguments, arguments.ToString());
        Assert.NotNull(done);
        Assert.Equal((call.ToolCallList[0].Id, "get_weather", Arguments), (done.CallId, done.FunctionName, done.FunctionArguments.ToString()));
        Assert.NotNull(completed);
        Assert.IsType<FunctionCallResponseItem>(Assert.Single(completed.OutputItems));
    }
}
