using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime.Server;

/// <summary>
/// Reads a <c>POST /v1/responses</c> body into the same <see cref="FacadeRequest"/> as chat completions:
/// <c>instructions</c> and <c>input</c> (a string, or message, <c>function_call</c> and
/// <c>function_call_output</c> items) become the messages; <c>tools</c>, <c>tool_choice</c>, <c>text.format</c>,
/// sampling and limits become the model options. Nothing is stored, so <c>previous_response_id</c> is refused.
/// </summary>
internal static class ResponsesRequest
{
    public static FacadeRequest Parse(JsonFields body)
    {
        var contextId = FacadeRequest.ContextOf(body);
        if (body.String("previous_response_id") is not null)
        {
            throw new SleepTimeValidationException("previous_response_id", "'previous_response_id' is not supported: responses are not stored here, so send the whole conversation in 'input'.");
        }

        var messages = new List<ChatMessage>();
        if (body.String("instructions") is { } instructions)
        {
            messages.Add(new ChatMessage(ChatRole.System, instructions));
        }

        messages.AddRange(Input(body));
        var question = ChatCompletionsRequest.QuestionOf(messages, "input");

        var options = new ChatOptions
        {
            MaxOutputTokens = (int?)body.Integer("max_output_tokens", 1, int.MaxValue),
            Temperature = (float?)body.Number("temperature", 0, 2),
            TopP = (float?)body.Number("top_p", 0, 1),
            AllowMultipleToolCalls = body.Bool("parallel_tool_calls"),
            ToolMode = PassThroughOptions.ToolMode(body, "tool_choice", choice => choice.RequiredName("name")),
        };
        if (PassThroughOptions.Effort(body.Object("reasoning")?.String("effort"), "reasoning.effort") is { } effort)
        {
            options.Reasoning = new ReasoningOptions { Effort = effort };
        }

        if (body.Objects("tools") is { } tools)
        {
            options.Tools = tools.Select(tool => tool.RequiredName("type") == "function"
                ? PassThroughOptions.Function(tool)
                : throw new SleepTimeValidationException(tool.Param("type"), $"'{tool.Param("type")}' must be \"function\": only function tools are carried to the model.")).ToList();
        }

        var format = body.Object("text")?.Object("format");
        options.ResponseFormat = PassThroughOptions.Format(format, f => f);
        if (PassThroughOptions.Strict(format, f => f))
        {
            options.AdditionalProperties = new AdditionalPropertiesDictionary { ["strict"] = true };
        }

        return new FacadeRequest(contextId, FacadeRequest.ModelPrefix + contextId, new ClientChat(messages, question, options), body.Bool("stream") ?? false, IncludeUsage: true);
    }

    private static IEnumerable<ChatMessage> Input(JsonFields body)
    {
        switch (body.Get("input"))
        {
            case null:
                throw new SleepTimeValidationException("input", "'input' is required.");
            case { ValueKind: JsonValueKind.String } text:
                return [new ChatMessage(ChatRole.User, text.GetString())];
            case { ValueKind: JsonValueKind.Array }:
                var items = body.Objects("input")!;
                return items.Count > 0 ? items.Select(Item).ToList() : throw new SleepTimeValidationException("input", "'input' must not be empty.");
            default:
                throw body.Wrong("input", "a string or an array of items");
        }
    }

    private static ChatMessage Item(JsonFields item)
    {
        switch (item.String("type") ?? "message")
        {
            case "message":
                var role = item.RequiredName("role");
                if (role is not ("user" or "system" or "developer" or "assistant"))
                {
                    throw new SleepTimeValidationException(item.Param("role"), $"'{item.Param("role")}' must be user, system, developer or assistant, not \"{role}\".");
                }

                return new ChatMessage(role == "developer" ? ChatRole.System : new ChatRole(role), Text(item));
            case "function_call":
                return new ChatMessage(ChatRole.Assistant, [ChatCompletionsRequest.ToolCall(item.RequiredName("call_id"), item.RequiredName("name"), item.String("arguments"), item.Param("arguments"))]);
            case "function_call_output":
                return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(item.RequiredName("call_id"), item.RequiredString("output"))]);
            case var other:
                throw new SleepTimeValidationException(item.Param("type"), $"'{item.Param("type")}' \"{other}\" is not supported: use message, function_call or function_call_output items.");
        }
    }

    private static List<AIContent> Text(JsonFields item)
    {
        switch (item.Get("content"))
        {
            case { ValueKind: JsonValueKind.String } text:
                return [new TextContent(text.GetString())];
            case { ValueKind: JsonValueKind.Array }:
                return item.Objects("content")!.Select(part => part.RequiredName("type") is "input_text" or "output_text" or "text"
                    ? (AIContent)new TextContent(part.RequiredString("text"))
                    : throw new SleepTimeValidationException(part.Param("type"), $"'{part.Param("type")}' \"{part.String("type")}\" is not supported: only text parts are carried to the model.")).ToList();
            case null:
                throw new SleepTimeValidationException(item.Param("content"), $"'{item.Param("content")}' is required.");
            default:
                throw item.Wrong("content", "a string or an array of content parts");
        }
    }
}
