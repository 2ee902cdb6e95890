using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Testing.Anthropic;

/// <summary>
/// An in-process fake of Anthropic's Messages API on a real Kestrel listener (127.0.0.1, free port), for tests that
/// run the official Anthropic C# SDK over real HTTP.
/// </summary>
/// <remarks>
/// <para><c>POST /v1/messages</c>: a JSON message, or server-sent events when <c>stream: true</c>
/// (<c>message_start</c>, <c>content_block_start</c>, <c>content_block_delta</c>, <c>content_block_stop</c>,
/// <c>message_delta</c> with the output usage, <c>message_stop</c>). Usage: <see cref="FakeReply.PromptTokens"/> →
/// <c>input_tokens</c>, <see cref="FakeReply.CachedTokens"/> → <c>cache_read_input_tokens</c>,
/// <see cref="FakeReply.CompletionTokens"/> → <c>output_tokens</c>. Tool calls become <c>tool_use</c> blocks;
/// errors use Anthropic's <c>{"type":"error","error":{...}}</c> shape.</para>
/// <para>Replies come from the queue (<see cref="Enqueue"/>), then <see cref="Responder"/>, then
/// <c>FakeReply.Text("fake reply")</c>. Requests are parsed into <see cref="FakeChatRequest"/>: the <c>system</c>
/// field becomes a leading <c>system</c> message and each <c>tool_result</c> block a <c>tool</c> message.</para>
/// <para>Point the SDK at <see cref="BaseUrl"/> (the root, without <c>/v1</c>; the SDK adds the path).</para>
/// </remarks>
public sealed class FakeAnthropicServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions WireJson = new();
    private readonly RequestLog _log = new();
    private readonly ReplyScript _script = new();
    private FakeServerHost? _host;

    private FakeAnthropicServer()
    {
    }

    /// <summary>Starts a server on a free port of 127.0.0.1.</summary>
    public static async Task<FakeAnthropicServer> StartAsync(Func<FakeChatRequest, FakeReply>? responder = null, CancellationToken cancellationToken = default)
    {
        var server = new FakeAnthropicServer { Responder = responder };
        server._host = await FakeServerHost.StartAsync(server.HandleAsync, cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>The root URL to give the SDK as its base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl => (_host ?? throw new InvalidOperationException("The server has not been started.")).Root;

    /// <summary>Every request received so far, in arrival order (a thread-safe snapshot).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _log.Snapshot();

    /// <summary>Every well-formed messages request so far, parsed (a snapshot).</summary>
    public IReadOnlyList<FakeChatRequest> ChatRequests => _script.Requests;

    /// <summary>Decides the reply when the queue is empty.</summary>
    public Func<FakeChatRequest, FakeReply>? Responder { get => _script.Responder; set => _script.Responder = value; }

    /// <summary>Queues replies; each request takes the next one, in order.</summary>
    public void Enqueue(params FakeReply[] replies) => _script.Enqueue(replies);

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
            _host = null;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var recorded = await _log.RecordAsync(context).ConfigureAwait(false);
        if (recorded.Method != "POST" || recorded.Path.TrimEnd('/') != "/v1/messages")
        {
            await WriteErrorAsync(context, FakeReply.Error(404, message: $"Unknown endpoint {recorded.Method} {recorded.Path}.")).ConfigureAwait(false);
            return;
        }

        if (await _script.TakeTurnAsync(context, recorded, Parse, WriteErrorAsync, "messages request").ConfigureAwait(false) is not ({ } request, { } reply))
        {
            return;
        }

        if (request.Stream)
        {
            await WriteStreamAsync(context, request, reply).ConfigureAwait(false);
        }
        else
        {
            await FakeOpenAiServer.WriteJsonAsync(context, 200, Message(request, reply, streamingStart: false)).ConfigureAwait(false);
        }
    }

    private static string StopReason(FakeReply reply) => reply.FinishReason switch
    {
        "stop" => "end_turn",
        "tool_calls" => "tool_use",
        "length" => "max_tokens",
        var other => other,
    };

    private static JsonObject Usage(FakeReply reply, bool streamingStart) => new()
    {
        ["input_tokens"] = reply.PromptTokens,
        ["cache_creation_input_tokens"] = 0,
        ["cache_read_input_tokens"] = reply.CachedTokens,
        ["output_tokens"] = streamingStart ? 1 : reply.CompletionTokens,
    };

    private static JsonArray ContentBlocks(FakeReply reply) => reply.Kind == FakeReplyKind.ToolCalls
        ? new JsonArray(reply.ToolCallList.Select(c => (JsonNode)new JsonObject
        {
            ["type"] = "tool_use",
            ["id"] = c.Id,
            ["name"] = c.Name,
            ["input"] = JsonNode.Parse(string.IsNullOrWhiteSpace(c.Arguments) ? "{}" : c.Arguments),
        }).ToArray())
        : new JsonArray(new JsonObject { ["type"] = "text", ["text"] = reply.Content ?? "" });

    private static JsonObject Message(FakeChatRequest request, FakeReply reply, bool streamingStart) => new()
    {
        ["id"] = FakeIds.AnthropicMessageId(),
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = request.Model,
        ["content"] = streamingStart ? new JsonArray() : ContentBlocks(reply),
        ["stop_reason"] = streamingStart ? null : StopReason(reply),
        ["stop_sequence"] = null,
        ["usage"] = Usage(reply, streamingStart),
    };

    private static async Task WriteStreamAsync(HttpContext context, FakeChatRequest request, FakeReply reply)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var ct = context.RequestAborted;

        async Task Event(string name, JsonObject data)
        {
            data["type"] = name;
            await context.Response.WriteAsync($"event: {name}\ndata: {data.ToJsonString(WireJson)}\n\n", ct).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        }

        try
        {
            await Event("message_start", new JsonObject { ["message"] = Message(request, reply, streamingStart: true) }).ConfigureAwait(false);
            if (reply.Kind == FakeReplyKind.ToolCalls)
            {
                for (var i = 0; i < reply.ToolCallList.Count; i++)
                {
                    var call = reply.ToolCallList[i];
                    await Event("content_block_start", new JsonObject
                    {
                        ["index"] = i,
                        ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = call.Id, ["name"] = call.Name, ["input"] = new JsonObject() },
                    }).ConfigureAwait(false);
                    await Event("content_block_delta", new JsonObject
                    {
                        ["index"] = i,
                        ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = call.Arguments },
                    }).ConfigureAwait(false);
                    await Event("content_block_stop", new JsonObject { ["index"] = i }).ConfigureAwait(false);
                }
            }
            else
            {
                await Event("content_block_start", new JsonObject
                {
                    ["index"] = 0,
                    ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" },
                }).ConfigureAwait(false);
                foreach (var token in FakeCompletionReply.Tokenize(reply.Content ?? ""))
                {
                    await Event("content_block_delta", new JsonObject
                    {
                        ["index"] = 0,
                        ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = token },
                    }).ConfigureAwait(false);
                }

                await Event("content_block_stop", new JsonObject { ["index"] = 0 }).ConfigureAwait(false);
            }

            await Event("message_delta", new JsonObject
            {
                ["delta"] = new JsonObject { ["stop_reason"] = StopReason(reply), ["stop_sequence"] = null },
                ["usage"] = new JsonObject { ["output_tokens"] = reply.CompletionTokens },
            }).ConfigureAwait(false);
            await Event("message_stop", new JsonObject()).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client went away mid-stream.
        }
    }

    private static Task WriteErrorAsync(HttpContext context, FakeReply error)
    {
        if (error.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = error.RetryAfter;
        }

        var type = error.Status switch
        {
            400 => "invalid_request_error",
            401 => "authentication_error",
            403 => "permission_error",
            404 => "not_found_error",
            413 => "request_too_large",
            429 => "rate_limit_error",
            529 => "overloaded_error",
            _ => "api_error",
        };
        return FakeOpenAiServer.WriteJsonAsync(context, error.Status, new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = type, ["message"] = error.ErrorMessage },
        });
    }

    private static FakeChatRequest Parse(JsonElement? maybeBody)
    {
        var body = maybeBody ?? throw new FormatException("The body is not JSON.");
        var messages = new List<FakeChatMessage>();
        if (body.TryGetProperty("system", out var system))
        {
            messages.Add(new FakeChatMessage("system", FakeOpenAiServer.TextOf(system), null, []));
        }

        foreach (var message in body.GetProperty("messages").EnumerateArray())
        {
            var role = message.GetProperty("role").GetString() ?? "";
            var content = message.GetProperty("content");
            if (content.ValueKind == JsonValueKind.String)
            {
                messages.Add(new FakeChatMessage(role, content.GetString(), null, []));
                continue;
            }

            var text = new List<string>();
            var calls = new List<FakeToolCall>();
            foreach (var block in content.EnumerateArray())
            {
                switch (block.GetProperty("type").GetString())
                {
                    case "text":
                        text.Add(block.GetProperty("text").GetString() ?? "");
                        break;
                    case "tool_use":
                        calls.Add(new FakeToolCall(
                            block.GetProperty("id").GetString() ?? "",
                            block.GetProperty("name").GetString() ?? "",
                            block.TryGetProperty("input", out var input) ? input.GetRawText() : "{}"));
                        break;
                    case "tool_result":
                        messages.Add(new FakeChatMessage(
                            "tool",
                            block.TryGetProperty("content", out var result) ? FakeOpenAiServer.TextOf(result) : null,
                            block.GetProperty("tool_use_id").GetString(),
                            []));
                        break;
                }
            }

            if (text.Count > 0 || calls.Count > 0)
            {
                messages.Add(new FakeChatMessage(role, text.Count > 0 ? string.Concat(text) : null, null, calls));
            }
        }

        var tools = new List<FakeTool>();
        if (body.TryGetProperty("tools", out var toolArray) && toolArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in toolArray.EnumerateArray())
            {
                tools.Add(new FakeTool(
                    tool.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "",
                    tool.TryGetProperty("description", out var description) ? description.GetString() : null,
                    tool.TryGetProperty("input_schema", out var schema) ? schema.Clone() : null));
            }
        }

        var stream = body.TryGetProperty("stream", out var streamFlag) && streamFlag.ValueKind == JsonValueKind.True;
        return new FakeChatRequest
        {
            Model = body.TryGetProperty("model", out var model) ? model.GetString() ?? "" : "",
            Messages = messages,
            Tools = tools,
            MaxTokens = FakeOpenAiServer.OptionalInt(body, "max_tokens"),
            Stream = stream,
            IncludeUsage = stream,
            Temperature = body.TryGetProperty("temperature", out var temperature) && temperature.ValueKind == JsonValueKind.Number ? temperature.GetDouble() : null,
            Body = body,
        };
    }
}
