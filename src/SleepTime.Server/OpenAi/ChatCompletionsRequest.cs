using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime.Server;

/// <summary>
/// Reads a <c>POST /v1/chat/completions</c> body into a <see cref="FacadeRequest"/>: the messages (text, tool calls,
/// tool results) and the options carried to the model. Unknown fields are ignored; known ones of the wrong type
/// or out of range are a 400 naming the field.
/// </summary>
internal static class ChatCompletionsRequest
{
    public static FacadeRequest Parse(JsonFields body)
    {
        var contextId = FacadeRequest.ContextOf(body);
        var messages = Messages(body);
        var question = QuestionOf(messages);
        var stream = body.Bool("stream") ?? false;
        var streamOptions = body.Object("stream_options");
        var includeUsage = streamOptions?.Bool("include_usage") ?? false;
        if (body.Integer("n", 1, 128) is > 1)
        {
            throw new SleepTimeValidationException("n", "'n' greater than 1 is not supported: the test model gives one choice per request.");
        }

        var options = new ChatOptions
        {
            MaxOutputTokens = (int?)(body.Integer("max_completion_tokens", 1, int.MaxValue) ?? body.Integer("max_tokens", 1, int.MaxValue)),
            Temperature = (float?)body.Number("temperature", 0, 2),
            TopP = (float?)body.Number("top_p", 0, 1),
            Seed = body.Integer("seed"),
            FrequencyPenalty = (float?)body.Number("frequency_penalty", -2, 2),
            PresencePenalty = (float?)body.Number("presence_penalty", -2, 2),
            StopSequences = PassThroughOptions.Stop(body, "stop"),
            AllowMultipleToolCalls = body.Bool("parallel_tool_calls"),
            ToolMode = PassThroughOptions.ToolMode(body, "tool_choice", choice => (choice.Object("function") ?? throw new SleepTimeValidationException("tool_choice.function", "'tool_choice.function' is required.")).RequiredName("name")),
        };
        if (PassThroughOptions.Effort(body.String("reasoning_effort"), "reasoning_effort") is { } effort)
        {
            options.Reasoning = new ReasoningOptions { Effort = effort };
        }

        var tools = body.Objects("tools");
        if (tools is not null)
        {
            options.Tools = tools.Select(tool => tool.RequiredName("type") == "function"
                ? PassThroughOptions.Function(tool.Object("function") ?? throw new SleepTimeValidationException(tool.Param("function"), $"'{tool.Param("function")}' is required."))
                : throw new SleepTimeValidationException(tool.Param("type"), $"'{tool.Param("type")}' must be \"function\": only function tools are carried to the model.")).ToList();
        }

        var format = body.Object("response_format");
        options.ResponseFormat = PassThroughOptions.Format(format, f => f.Object("json_schema"));
        if (PassThroughOptions.Strict(format, f => f.Object("json_schema")))
        {
            options.AdditionalProperties = new AdditionalPropertiesDictionary { ["strict"] = true };
        }

        var verbosity = body.Get("verbosity") is { ValueKind: JsonValueKind.String } ? null : (int?)body.Integer("verbosity", AnswerBudget.MinVerbosity, AnswerBudget.MaxVerbosity);
        return new FacadeRequest(contextId, FacadeRequest.ModelPrefix + contextId, new ClientChat(messages, question, options, verbosity), stream, includeUsage);
    }

    /// <summary>The text of the last user message: what the query is recorded as (and a conversation's user turn).</summary>
    public static string QuestionOf(IReadOnlyList<ChatMessage> messages, string param = "messages")
    {
        var last = messages.LastOrDefault(m => m.Role == ChatRole.User)
            ?? throw new SleepTimeValidationException(param, $"'{param}' must contain a user message.");
        return string.IsNullOrWhiteSpace(last.Text)
            ? throw new SleepTimeValidationException(param, "The last user message has no text.")
            : last.Text;
    }

    private static List<ChatMessage> Messages(JsonFields body)
    {
        var items = body.Objects("messages");
        if (items is null || items.Count == 0)
        {
            throw new SleepTimeValidationException("messages", "'messages' must be a non-empty array.");
        }

        return items.Select(Message).ToList();
    }

    private static ChatMessage Message(JsonFields message)
    {
        var role = message.RequiredName("role");
        var contents = new List<AIContent>();
        switch (role)
        {
            case "system" or "developer" or "user":
                contents.AddRange(Text(message, "content", required: true));
                break;
            case "assistant":
                contents.AddRange(Text(message, "content", required: false));
                foreach (var call in message.Objects("tool_calls") ?? [])
                {
                    var function = call.Object("function") ?? throw new SleepTimeValidationException(call.Param("function"), $"'{call.Param("function")}' is required.");
                    contents.Add(ToolCall(call.RequiredName("id"), function.RequiredName("name"), function.String("arguments"), function.Param("arguments")));
                }

                break;
            case "tool":
                var result = string.Concat(Text(message, "content", required: true).Select(t => t.Text));
                contents.Add(new FunctionResultContent(message.RequiredName("tool_call_id"), result));
                break;
            default:
                throw new SleepTimeValidationException(message.Param("role"), $"'{message.Param("role")}' must be system, developer, user, assistant or tool, not \"{role}\".");
        }

        return new ChatMessage(role is "developer" ? ChatRole.System : new ChatRole(role), contents) { AuthorName = message.String("name") };
    }

    /// <summary>A tool call as the client sent it back; its arguments are parsed strictly, as the model wrote them.</summary>
    public static FunctionCallContent ToolCall(string callId, string name, string? arguments, string param)
    {
        var parsed = StrictJson.ParseText(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments, param);
        if (parsed.ValueKind != JsonValueKind.Object)
        {
            throw new SleepTimeValidationException(param, $"'{param}' must hold a JSON object.");
        }

        return new FunctionCallContent(callId, name, parsed.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value));
    }

    /// <summary>A string content, or an array of <c>{"type":"text","text":...}</c> parts.</summary>
    private static IEnumerable<TextContent> Text(JsonFields message, string name, bool required)
    {
        var param = message.Param(name);
        switch (message.Get(name))
        {
            case null when required:
                throw new SleepTimeValidationException(param, $"'{param}' is required.");
            case null:
                return [];
            case { ValueKind: JsonValueKind.String } text:
                return [new TextContent(text.GetString())];
            case { ValueKind: JsonValueKind.Array }:
                return message.Objects(name)!.Select(part => part.RequiredName("type") is "text" or "input_text" or "output_text"
                    ? new TextContent(part.RequiredString("text"))
                    : throw new SleepTimeValidationException(part.Param("type"), $"'{part.Param("type")}' \"{part.String("type")}\" is not supported: only text parts are carried to the model.")).ToList();
            default:
                throw message.Wrong(name, "a string or an array of content parts");
        }
    }
}
