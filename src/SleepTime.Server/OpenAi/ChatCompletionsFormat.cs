using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime.Server;

/// <summary>
/// The chat completions wire format: a <c>chat.completion</c> object, or <c>chat.completion.chunk</c> events ending
/// with the finish reason, the usage chunk when asked for, and <c>data: [DONE]</c>.
/// </summary>
internal sealed class ChatCompletionsFormat : IReplyFormat
{
    public static ChatCompletionsFormat Instance { get; } = new();

    public Task WriteAsync(HttpContext http, ReplyHeader header, ChatReply reply)
    {
        var calls = ReplyParts.ToolCalls(reply.Response);
        var text = reply.Response.Text;
        return TypedResults.Json(new
        {
            id = header.Id,
            @object = "chat.completion",
            created = header.Created.ToUnixTimeSeconds(),
            model = header.Model,
            choices = new[]
            {
                new
                {
                    index = 0,
                    message = Message(text, calls),
                    logprobs = (object?)null,
                    finish_reason = ReplyParts.FinishReason(reply.Response),
                },
            },
            usage = ReplyParts.ChatUsage(reply.Answer.Usage),
            learned_version = reply.Answer.LearnedContextVersion,
        }, Wire.Json).ExecuteAsync(http);
    }

    private static Dictionary<string, object?> Message(string text, IReadOnlyList<FunctionCallContent> calls)
    {
        var message = new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = calls.Count > 0 && text.Length == 0 ? null : text, ["refusal"] = null };
        if (calls.Count > 0)
        {
            message["tool_calls"] = calls.Select(c => new { id = c.CallId, type = "function", function = new { name = c.Name, arguments = ReplyParts.Arguments(c) } }).ToArray();
        }

        return message;
    }

    public IReplyStream OpenStream(HttpContext http, ReplyHeader header) => new Stream(new ServerSentEvents(http.Response), header);

    private sealed class Stream(ServerSentEvents events, ReplyHeader header) : IReplyStream
    {
        private int toolCalls;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await events.StartAsync(cancellationToken).ConfigureAwait(false);
            await SendAsync(new { role = "assistant", content = "" }, null, cancellationToken).ConfigureAwait(false);
        }

        public async Task WriteAsync(ChatResponseUpdate chunk, CancellationToken cancellationToken)
        {
            foreach (var content in chunk.Contents)
            {
                switch (content)
                {
                    case TextContent { Text.Length: > 0 } text:
                        await SendAsync(new { content = text.Text }, null, cancellationToken).ConfigureAwait(false);
                        break;
                    case FunctionCallContent call:
                        var index = toolCalls++;
                        await SendAsync(new { tool_calls = new[] { new { index, id = call.CallId, type = "function", function = new { name = call.Name, arguments = ReplyParts.Arguments(call) } } } }, null, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
        }

        public async Task CompleteAsync(ChatReply reply, CancellationToken cancellationToken)
        {
            await SendAsync(new { }, ReplyParts.FinishReason(reply.Response), cancellationToken).ConfigureAwait(false);
            if (header.IncludeUsage)
            {
                await events.WriteAsync(null, JsonSerializer.Serialize(new
                {
                    id = header.Id,
                    @object = "chat.completion.chunk",
                    created = header.Created.ToUnixTimeSeconds(),
                    model = header.Model,
                    choices = Array.Empty<object>(),
                    usage = ReplyParts.ChatUsage(reply.Answer.Usage),
                }, Wire.Json), cancellationToken).ConfigureAwait(false);
            }

            await events.WriteAsync(null, "[DONE]", cancellationToken).ConfigureAwait(false);
        }

        public Task FailAsync(OpenAiError error, CancellationToken cancellationToken) =>
            events.WriteAsync(null, error.ToJson(), cancellationToken);

        private Task SendAsync(object delta, string? finishReason, CancellationToken cancellationToken) =>
            events.WriteAsync(null, JsonSerializer.Serialize(new
            {
                id = header.Id,
                @object = "chat.completion.chunk",
                created = header.Created.ToUnixTimeSeconds(),
                model = header.Model,
                choices = new[] { new { index = 0, delta, logprobs = (object?)null, finish_reason = finishReason } },
            }, Wire.Json), cancellationToken);
    }
}
