using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime.Server;

/// <summary>
/// The Responses wire format: a <c>response</c> object with <c>message</c> and <c>function_call</c> output items, or
/// its documented event sequence: <c>response.created</c>, <c>response.in_progress</c>, per item
/// <c>response.output_item.added</c>, then <c>response.content_part.added</c>, <c>response.output_text.delta</c>...
/// <c>response.output_text.done</c>, <c>response.content_part.done</c> (text) or
/// <c>response.function_call_arguments.delta</c>, <c>.done</c> (calls), <c>response.output_item.done</c>; and last
/// <c>response.completed</c>.
/// </summary>
internal sealed class ResponsesFormat : IReplyFormat
{
    public static ResponsesFormat Instance { get; } = new();

    public Task WriteAsync(HttpContext http, ReplyHeader header, ChatReply reply)
    {
        var items = new List<object>();
        if (reply.Response.Text is { Length: > 0 } text)
        {
            items.Add(MessageItem("msg_" + Guid.NewGuid().ToString("N"), text, "completed"));
        }

        items.AddRange(ReplyParts.ToolCalls(reply.Response).Select(c => FunctionCallItem("fc_" + Guid.NewGuid().ToString("N"), c, ReplyParts.Arguments(c), "completed")));
        return TypedResults.Json(Response(header, reply, items), Wire.Json).ExecuteAsync(http);
    }

    public IReplyStream OpenStream(HttpContext http, ReplyHeader header) => new Stream(new ServerSentEvents(http.Response), header);

    private static Dictionary<string, object?> Response(ReplyHeader header, ChatReply? reply, IReadOnlyList<object> output, string? status = null, OpenAiError? error = null)
    {
        var incomplete = reply is not null && reply.Response.FinishReason == ChatFinishReason.Length;
        return new Dictionary<string, object?>
        {
            ["id"] = header.Id,
            ["object"] = "response",
            ["created_at"] = header.Created.ToUnixTimeSeconds(),
            ["status"] = status ?? (incomplete ? "incomplete" : "completed"),
            ["error"] = error is null ? null : new { code = error.Code ?? error.Type, message = error.Message },
            ["incomplete_details"] = incomplete ? new { reason = "max_output_tokens" } : null,
            ["model"] = header.Model,
            ["output"] = output,
            ["parallel_tool_calls"] = true,
            ["tool_choice"] = "auto",
            ["tools"] = Array.Empty<object>(),
            ["usage"] = reply is null ? null : ReplyParts.ResponsesUsage(reply.Answer.Usage),
            ["learned_version"] = reply?.Answer.LearnedContextVersion,
        };
    }

    private static object MessageItem(string id, string text, string status) => new
    {
        id,
        type = "message",
        status,
        role = "assistant",
        content = text.Length == 0 && status != "completed" ? Array.Empty<object>() : new object[] { TextPart(text) },
    };

    private static object TextPart(string text) => new { type = "output_text", text, annotations = Array.Empty<object>() };

    private static object FunctionCallItem(string id, FunctionCallContent call, string arguments, string status) =>
        new { id, type = "function_call", status, call_id = call.CallId, name = call.Name, arguments };

    private sealed class Stream(ServerSentEvents events, ReplyHeader header) : IReplyStream
    {
        private readonly List<object> done = [];
        private readonly System.Text.StringBuilder text = new();
        private string? messageId;
        private int sequence;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await events.StartAsync(cancellationToken).ConfigureAwait(false);
            var response = Response(header, null, [], "in_progress");
            await SendAsync("response.created", new() { ["response"] = response }, cancellationToken).ConfigureAwait(false);
            await SendAsync("response.in_progress", new() { ["response"] = response }, cancellationToken).ConfigureAwait(false);
        }

        public async Task WriteAsync(ChatResponseUpdate chunk, CancellationToken cancellationToken)
        {
            foreach (var content in chunk.Contents)
            {
                switch (content)
                {
                    case TextContent { Text.Length: > 0 } part:
                        if (messageId is null)
                        {
                            messageId = "msg_" + Guid.NewGuid().ToString("N");
                            await SendAsync("response.output_item.added", new() { ["output_index"] = done.Count, ["item"] = MessageItem(messageId, "", "in_progress") }, cancellationToken).ConfigureAwait(false);
                            await SendAsync("response.content_part.added", new() { ["item_id"] = messageId, ["output_index"] = done.Count, ["content_index"] = 0, ["part"] = TextPart("") }, cancellationToken).ConfigureAwait(false);
                        }

                        text.Append(part.Text);
                        await SendAsync("response.output_text.delta", new() { ["item_id"] = messageId, ["output_index"] = done.Count, ["content_index"] = 0, ["delta"] = part.Text, ["logprobs"] = Array.Empty<object>() }, cancellationToken).ConfigureAwait(false);
                        break;
                    case FunctionCallContent call:
                        await CloseMessageAsync(cancellationToken).ConfigureAwait(false);
                        var id = "fc_" + Guid.NewGuid().ToString("N");
                        var arguments = ReplyParts.Arguments(call);
                        await SendAsync("response.output_item.added", new() { ["output_index"] = done.Count, ["item"] = FunctionCallItem(id, call, "", "in_progress") }, cancellationToken).ConfigureAwait(false);
                        await SendAsync("response.function_call_arguments.delta", new() { ["item_id"] = id, ["output_index"] = done.Count, ["delta"] = arguments }, cancellationToken).ConfigureAwait(false);
                        await SendAsync("response.function_call_arguments.done", new() { ["item_id"] = id, ["output_index"] = done.Count, ["arguments"] = arguments }, cancellationToken).ConfigureAwait(false);
                        var item = FunctionCallItem(id, call, arguments, "completed");
                        await SendAsync("response.output_item.done", new() { ["output_index"] = done.Count, ["item"] = item }, cancellationToken).ConfigureAwait(false);
                        done.Add(item);
                        break;
                }
            }
        }

        public async Task CompleteAsync(ChatReply reply, CancellationToken cancellationToken)
        {
            await CloseMessageAsync(cancellationToken).ConfigureAwait(false);
            await SendAsync("response.completed", new() { ["response"] = Response(header, reply, done) }, cancellationToken).ConfigureAwait(false);
        }

        public async Task FailAsync(OpenAiError error, CancellationToken cancellationToken)
        {
            await SendAsync("error", new() { ["code"] = error.Code, ["message"] = error.Message, ["param"] = error.Param }, cancellationToken).ConfigureAwait(false);
            await SendAsync("response.failed", new() { ["response"] = Response(header, null, done, "failed", error) }, cancellationToken).ConfigureAwait(false);
        }

        private async Task CloseMessageAsync(CancellationToken cancellationToken)
        {
            if (messageId is null)
            {
                return;
            }

            var full = text.ToString();
            await SendAsync("response.output_text.done", new() { ["item_id"] = messageId, ["output_index"] = done.Count, ["content_index"] = 0, ["text"] = full, ["logprobs"] = Array.Empty<object>() }, cancellationToken).ConfigureAwait(false);
            await SendAsync("response.content_part.done", new() { ["item_id"] = messageId, ["output_index"] = done.Count, ["content_index"] = 0, ["part"] = TextPart(full) }, cancellationToken).ConfigureAwait(false);
            var item = MessageItem(messageId, full, "completed");
            await SendAsync("response.output_item.done", new() { ["output_index"] = done.Count, ["item"] = item }, cancellationToken).ConfigureAwait(false);
            done.Add(item);
            messageId = null;
            text.Clear();
        }

        private Task SendAsync(string type, Dictionary<string, object?> data, CancellationToken cancellationToken)
        {
            var payload = new Dictionary<string, object?>(data.Count + 2) { ["type"] = type, ["sequence_number"] = sequence++ };
            foreach (var (key, value) in data)
            {
                payload[key] = value;
            }

            return events.WriteAsync(type, JsonSerializer.Serialize(payload, Wire.Json), cancellationToken);
        }
    }
}
